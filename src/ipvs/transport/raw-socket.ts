// DatagramSocket on the `netlink` package's RawNetlinkSocket — only its socket: we never use its request
// helpers (they drop the errno, see docs/decisions/002-netlink-binding.md).
//
// The addon calls our listeners from native code with no try/catch: an exception escaping a listener ends
// in std::terminate. So every listener here catches everything and reports it through `handlers.error`.
//
// Imported from the package's `dist/raw` module, not its index: the index also loads its rtnetlink, nl80211
// and WireGuard layers (1.4 MB of JS we never call), which cost the daemon 7.5 MiB of RSS and ~80 ms of start-up
// (bench/memory/floor.ts, docs/benchmarks.md "Memory").

import { RawNetlinkSocket } from 'netlink/dist/raw';
import { NETLINK_GENERIC } from '../codec/constants';
import type { DatagramHandlers, DatagramSocket, OpenSocket } from './socket';

export interface RawSocketOptions {
  /** Netlink protocol: NETLINK_GENERIC (16) for the kernel; NETLINK_USERSOCK (2) for a test peer. */
  readonly protocol?: number;
  /** Where requests go: 0 (the kernel) unless a test peer listens elsewhere. */
  readonly peerPort?: number;
  /** SO_RCVBUF to ask for; the kernel caps it at 2 × net.core.rmem_max. */
  readonly recvBufferSize?: number;
}

export const DEFAULT_RECV_BUFFER = 4 * 1024 * 1024;

export function rawSocketOpener(options: RawSocketOptions = {}): OpenSocket {
  const protocol = options.protocol ?? NETLINK_GENERIC;
  const peerPort = options.peerPort ?? 0;
  return (handlers: DatagramHandlers): DatagramSocket => {
    const sock = new RawNetlinkSocket(protocol);
    try {
      sock.setRecvBufferSize(options.recvBufferSize ?? DEFAULT_RECV_BUFFER);
    } catch {
      // A smaller buffer still works; the bounded window is what keeps us inside it.
    }
    sock.on('message', (msg, rinfo) => {
      try {
        handlers.message(msg, rinfo.port);
      } catch (e) {
        safeError(handlers, e);
      }
    });
    sock.on('truncatedMessage', () => safeError(handlers, new Error('netlink datagram truncated')));
    sock.on('error', (err) => safeError(handlers, err));
    let closed = false;
    return {
      send: (datagram) =>
        new Promise<void>((resolve, reject) => {
          if (closed) {
            reject(new Error('netlink socket closed'));
            return;
          }
          try {
            sock.send(datagram, { port: peerPort }, (err) => (err ? reject(err) : resolve()));
          } catch (e) {
            reject(e as Error);
          }
        }),
      close: () => {
        if (closed) return;
        closed = true;
        try {
          sock.close();
        } catch {
          // already closed by the addon after a poll error
        }
      },
    };
  };
}

function safeError(handlers: DatagramHandlers, e: unknown): void {
  try {
    handlers.error(e instanceof Error ? e : new Error(String(e)));
  } catch {
    // nothing may escape into the addon
  }
}
