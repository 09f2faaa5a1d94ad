// Listening: HTTP on loopback, HTTPS when a certificate and key are configured. Bounded: request and header
// timeouts, a cap on connections. close() stops listening and drops open connections; safe to call twice.

import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ObserveError } from './errors';

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: { readonly cert: Buffer | string; readonly key: Buffer | string };
  readonly handler: http.RequestListener;
}

export interface RunningServer {
  /** The URL the server answers on (with the real port when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(o: ListenOptions): Promise<RunningServer> {
  let server: http.Server;
  try {
    server = o.tls === undefined ? http.createServer(o.handler) : https.createServer({ cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2' }, o.handler);
  } catch (e) {
    throw new ObserveError('STATUS_TLS_UNREADABLE', `cannot use the TLS certificate/key: ${(e as Error).message}`, { cause: e });
  }
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 64;
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(new ObserveError('STATUS_LISTEN_FAILED', `cannot listen on ${o.host}:${o.port}: ${e.code ?? e.message}`, { cause: e }));
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
