// Hostile servers on loopback for checks to fail against. Each listens on an ephemeral port, returns it,
// and close() tears down the listener, every accepted socket and every server-side timer.
//
//   silent   accepts and never sends a byte (and never closes)
//   trickle  sends `prefix` one byte a second, forever (a real setInterval in the server)
//   flood    sends `prefix` then 100 MB of 'x' (respecting backpressure), then closes
//   reset    sends the first half of `prefix`, leaves the request unread, then RST (after 100 ms)
//   http200  a well-behaved HTTP/1.1 server answering 200 "ok" (useful with `tls` for certificate tests)
//
// With `tls: { key, cert }` the same behaviour runs after a TLS handshake with that certificate (use the
// wrong-name / expired / self-signed certificates from tls.ts).
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';

export type HostileKind = 'silent' | 'trickle' | 'flood' | 'reset' | 'http200';

export interface HostileOptions {
  /** Listen address; default 127.0.0.1. */
  readonly host?: string;
  /** What trickle/flood/reset send first; default an HTTP/1.1 200 response head. */
  readonly prefix?: string;
  /** Bytes flood sends after the prefix; default 100 MB. */
  readonly floodBytes?: number;
  readonly tls?: { readonly key: string; readonly cert: string };
}

export interface HostileServer {
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

export const HUNDRED_MB = 100 * 1024 * 1024;

function httpHead(length: number): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\n\r\n`;
}

function trickle(socket: Socket, text: string, timers: Set<NodeJS.Timeout>): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) return;
    socket.write(text[i % text.length] ?? 'x');
    i += 1;
  }, 1000);
  timers.add(timer);
  socket.once('close', () => {
    clearInterval(timer);
    timers.delete(timer);
  });
}

function flood(socket: Socket, prefix: string, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let left = total;
  socket.write(prefix);
  const pump = (): void => {
    while (left > 0 && !socket.destroyed) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        socket.once('drain', pump);
        return;
      }
    }
    if (left === 0) socket.end();
  };
  pump();
}

function behave(
  kind: HostileKind,
  socket: Socket,
  raw: Socket,
  opts: HostileOptions,
  timers: Set<NodeJS.Timeout>,
): void {
  socket.on('error', () => undefined);
  const floodBytes = opts.floodBytes ?? HUNDRED_MB;
  switch (kind) {
    case 'silent':
      return;
    case 'trickle':
      trickle(socket, opts.prefix ?? httpHead(1_000_000), timers);
      return;
    case 'flood':
      flood(socket, opts.prefix ?? httpHead(floodBytes), floodBytes);
      return;
    case 'reset': {
      // Plain: the listener uses pauseOnConnect, so the request stays unread in the kernel; closing with
      // unread data (and SO_LINGER 0 via resetAndDestroy) makes Linux send an RST. TLS: the request is read
      // (decrypted) first. Either way the RST follows the half response after 100 ms of server time, so the
      // client has read the half response and then sees ECONNRESET.
      const text = opts.prefix ?? httpHead(1000) + 'partial';
      const half = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      const resetLater = (): void => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          raw.resetAndDestroy();
        }, 100);
        timers.add(timer);
      };
      if (socket === raw) socket.write(half, resetLater);
      else socket.once('data', () => socket.write(half, resetLater));
      return;
    }
    case 'http200':
      socket.on('data', () => {
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
      });
      return;
  }
}

export async function startHostile(kind: HostileKind, opts: HostileOptions = {}): Promise<HostileServer> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let accepted = 0;
  const onSocket = (raw: Socket): void => {
    accepted += 1;
    raw.on('error', () => undefined);
    const socket = opts.tls ? new TLSSocket(raw, { isServer: true, key: opts.tls.key, cert: opts.tls.cert }) : raw;
    // A client that rejects our certificate aborts the handshake; that is the expected path, not an error.
    socket.on('error', () => undefined);
    for (const s of socket === raw ? [raw] : [raw, socket]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    }
    behave(kind, socket, raw, opts, timers);
  };
  const server: Server = createTcpServer({ pauseOnConnect: kind === 'reset' && opts.tls === undefined }, onSocket);
  server.on('error', () => undefined);
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('hostile server: no TCP address');
  return {
    host,
    port: address.port,
    accepted: () => accepted,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A port where a TCP connect never completes: a listener (python3, since Node always accepts) with backlog 0
 * that never calls accept(), its one-slot accept queue filled by a connection we hold. Linux drops further
 * SYNs to a full queue, so a client's connect hangs until its own deadline.
 */
export async function startBlackhole(): Promise<HostileServer> {
  const script =
    'import socket,sys\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\n' +
    'print(s.getsockname()[1],flush=True)\nsys.stdin.read()\n';
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  const holders: ReturnType<typeof tcpConnect>[] = [];
  // Fill the accept queue (one slot for backlog 0; a second to be sure — it may itself hang in SYN_SENT).
  for (let i = 0; i < 2; i += 1) {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    holders.push(socket);
  }
  await once(holders[0] as ReturnType<typeof tcpConnect>, 'connect');
  return {
    host: '127.0.0.1',
    port,
    accepted: () => 0,
    close: async () => {
      for (const socket of holders) socket.destroy();
      child.stdin?.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}
