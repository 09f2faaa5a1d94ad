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
import { createServer as createTlsServer } from 'node:tls';
import { once } from 'node:events';

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
  socket.once('close', () => { clearInterval(timer); timers.delete(timer); });
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

function behave(kind: HostileKind, socket: Socket, opts: HostileOptions, timers: Set<NodeJS.Timeout>): void {
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
      // The listener uses pauseOnConnect, so the client's request stays unread in the kernel; closing with
      // unread data (and SO_LINGER 0 via resetAndDestroy) makes Linux send an RST, which the client sees
      // as ECONNRESET after the first half of the response. The short server-side timer gives the client
      // time to send its request on loopback.
      const text = opts.prefix ?? httpHead(1000) + 'partial';
      socket.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))), () => {
        const timer = setTimeout(() => { timers.delete(timer); socket.resetAndDestroy(); }, 100);
        timers.add(timer);
      });
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
  const onSocket = (socket: Socket): void => {
    accepted += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    behave(kind, socket, opts, timers);
  };
  const server: Server = opts.tls
    ? createTlsServer({ key: opts.tls.key, cert: opts.tls.cert }, onSocket)
    : createTcpServer({ pauseOnConnect: kind === 'reset' }, onSocket);
  // A client that rejects our certificate aborts the handshake; that is the expected path, not an error.
  server.on('tlsClientError', () => undefined);
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
