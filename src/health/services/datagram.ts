// A connected UDP socket under the probe's deadline, for dns, radius, sip and simpletcp over UDP.
// Datagrams are bounded by nature (≤ 64 KiB); at most a handful are queued, the rest dropped.

import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { ProbeFailure, type ProbeContext } from './probe';

const MAX_QUEUED = 16;

export class DatagramChannel {
  private readonly queue: Buffer[] = [];
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(readonly socket: dgram.Socket) {
    socket.on('message', (msg: Buffer) => {
      if (this.queue.length < MAX_QUEUED) this.queue.push(msg);
      this.notify();
    });
    socket.on('error', (err) => {
      // ICMP port unreachable surfaces as ECONNREFUSED on a connected UDP socket.
      this.failure ??= err;
      this.notify();
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  send(payload: Buffer): void {
    this.socket.send(payload, (err) => {
      if (err) {
        this.failure ??= err;
        this.notify();
      }
    });
  }

  /** The next datagram; `what` names it in failures. */
  async receive(what: string): Promise<Buffer> {
    for (;;) {
      const next = this.queue.shift();
      if (next) return next;
      if (this.failure) {
        const code = (this.failure as NodeJS.ErrnoException).code;
        throw new ProbeFailure(
          `${code === 'ECONNREFUSED' ? 'port unreachable (ECONNREFUSED)' : this.failure.message} while waiting for ${what}`,
        );
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  localAddress(): { address: string; port: number } {
    const a = this.socket.address();
    return { address: a.address, port: a.port };
  }
}

/** Binds an ephemeral port and connects it to host:port; closed when the probe settles. */
export function openDatagram(ctx: ProbeContext, host: string, port: number): Promise<DatagramChannel> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      socket.close();
    };
    ctx.defer(close);
    const channel = new DatagramChannel(socket);
    const onAbort = (): void => {
      close();
      reject(ctx.signal.reason);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    ctx.defer(() => ctx.signal.removeEventListener('abort', onAbort));
    socket.once('error', (err) => reject(new ProbeFailure(`UDP socket: ${err.message}`)));
    try {
      socket.connect(port, host, () => resolve(channel));
    } catch (err) {
      // a bad port or address throws synchronously; the socket is closed by the disposer above
      reject(new ProbeFailure(`UDP connect to port ${port} failed: ${(err as Error).message}`));
    }
  });
}
