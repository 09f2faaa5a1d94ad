// Listening: HTTP on loopback, HTTPS when a certificate and key are configured. Bounded:
//   - 5 s for the request headers, counted from the connection (or from the end of the previous response on a
//     keep-alive connection) by a timer of our own: Node's headersTimeout is checked only every
//     `connectionsCheckingInterval` (30 s by default) and, measured, let a header line every 2 s hold a slot
//     26-34 s (8 s even with a 0.5 s interval);
//     5 s for a TLS handshake; 10 s per request; keep-alive connections idle 5 s;
//   - connections admitted by connection-guard.ts: 16 per client address, 64 in all, the oldest waiting
//     connection given up for a new one.
// close() stops listening and drops open connections; safe to call twice.

import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createConnectionGuard, type GuardLimits } from './connection-guard';
import { ObserveError } from './errors';

export const LISTENER_LIMITS = {
  headersMs: 5_000,
  checkEveryMs: 500,
  requestMs: 10_000,
  keepAliveMs: 5_000,
  handshakeMs: 5_000,
  perClient: 16,
  total: 64,
} as const;

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: { readonly cert: Buffer | string; readonly key: Buffer | string };
  readonly handler: http.RequestListener;
  /** Connection caps (default LISTENER_LIMITS). */
  readonly limits?: GuardLimits;
}

export interface RunningServer {
  /** The URL the server answers on (with the real port when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(o: ListenOptions): Promise<RunningServer> {
  const L = LISTENER_LIMITS;
  // Raw and TLS sockets of one connection share the remote address and port: that pair names the connection.
  const key = (s: Socket): string => `${s.remoteAddress ?? '?'}|${s.remotePort ?? '?'}`;
  const guard = createConnectionGuard<string>(o.limits ?? { perClient: L.perClient, total: L.total });
  const sockets = new Map<string, Socket>();
  const deadlines = new Map<string, NodeJS.Timeout>();
  const stopDeadline = (k: string): void => {
    clearTimeout(deadlines.get(k));
    deadlines.delete(k);
  };
  /** The headers of the next request must be complete within headersMs, or the connection is closed. */
  const startDeadline = (k: string): void => {
    stopDeadline(k);
    deadlines.set(
      k,
      setTimeout(() => sockets.get(k)?.destroy(), L.headersMs),
    );
  };
  const handler: http.RequestListener = (req, res) => {
    const k = key(req.socket);
    guard.busy(k);
    stopDeadline(k);
    res.once('close', () => {
      guard.idle(k);
      if (sockets.has(k)) startDeadline(k);
    });
    o.handler(req, res);
  };
  const serverOptions = {
    requestTimeout: L.requestMs,
    headersTimeout: L.headersMs,
    keepAliveTimeout: L.keepAliveMs,
    connectionsCheckingInterval: L.checkEveryMs,
  };
  let server: http.Server;
  try {
    server =
      o.tls === undefined
        ? http.createServer(serverOptions, handler)
        : https.createServer(
            {
              ...serverOptions,
              cert: o.tls.cert,
              key: o.tls.key,
              minVersion: 'TLSv1.2',
              handshakeTimeout: L.handshakeMs,
            },
            handler,
          );
  } catch (e) {
    throw new ObserveError('STATUS_TLS_UNREADABLE', `cannot use the TLS certificate/key: ${(e as Error).message}`, {
      cause: e,
    });
  }
  server.on('connection', (socket: Socket) => {
    const k = key(socket);
    const decision = guard.admit(k, socket.remoteAddress ?? '?');
    if (!decision.admit) {
      socket.destroy();
      return;
    }
    for (const victim of decision.evict) sockets.get(victim)?.destroy();
    sockets.set(k, socket);
    startDeadline(k);
    socket.once('close', () => {
      if (sockets.get(k) === socket) {
        sockets.delete(k);
        stopDeadline(k);
        guard.closed(k);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(
        new ObserveError('STATUS_LISTEN_FAILED', `cannot listen on ${o.host}:${o.port}: ${e.code ?? e.message}`, {
          cause: e,
        }),
      );
    };
    server.once('error', onError);
    server.listen(o.port, o.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  let closing: Promise<void> | undefined;
  return {
    url: `${o.tls === undefined ? 'http' : 'https'}://${host}:${port}/`,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
