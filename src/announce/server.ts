// Act: the daemon's end of the feed (feed.ts). A unix stream socket that the process ExaBGP runs connects to;
// every connected process gets the wanted state at once, on every change, and every FEED_HEARTBEAT_MS. The
// socket file is made 0600 (only root's processes can steer the routes) and removed on close. Errors (a
// path taken by a file that is not a socket, a client that goes away) are reported, never thrown past start.

import { chmod, lstat, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Clock } from '../health/types';
import { encodeFeed, FEED_HEARTBEAT_MS, type FeedMessage } from './feed';

export interface FeedServer {
  publish(message: FeedMessage): void;
  /** Connected speaker processes. */
  clients(): number;
  close(): Promise<void>;
}

export interface FeedServerOptions {
  readonly path: string;
  readonly clock: Clock;
  readonly onError: (message: string) => void;
  readonly heartbeatMs?: number;
}

/** True when a process accepts connections on the socket at `path` (connect succeeds). */
function listening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A socket left by a director that died is removed; one that a live director serves is never taken over. */
async function removeStaleSocket(path: string): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (st === undefined) return;
  if (!st.isSocket()) throw new Error(`announcesocket ${path}: exists and is not a socket`);
  if (await listening(path))
    throw new Error(`announcesocket ${path}: another process is serving it (a second director with this socket?)`);
  await unlink(path);
}

export async function openFeedServer(o: FeedServerOptions): Promise<FeedServer> {
  await removeStaleSocket(o.path);
  const clients = new Set<Socket>();
  let last: string | undefined;
  const send = (s: Socket, line: string): void => {
    if (!s.destroyed) s.write(line);
  };
  const server: Server = createServer((s) => {
    clients.add(s);
    s.on('error', (e) => o.onError(`announce socket ${o.path}: ${e.message}`));
    s.on('close', () => clients.delete(s));
    s.on('data', () => undefined); // the process sends nothing; drain anything it does
    if (last !== undefined) send(s, last);
  });
  server.on('error', (e) => o.onError(`announce socket ${o.path}: ${e.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(o.path, 0o600);
  const heartbeatMs = o.heartbeatMs ?? FEED_HEARTBEAT_MS;
  let timer: unknown;
  const beat = (): void => {
    if (last !== undefined) for (const s of clients) send(s, last);
    timer = o.clock.setTimeout(beat, heartbeatMs);
  };
  timer = o.clock.setTimeout(beat, heartbeatMs);
  let closing: Promise<void> | undefined;
  return {
    publish: (message) => {
      last = encodeFeed(message);
      for (const s of clients) send(s, last);
    },
    clients: () => clients.size,
    close: () =>
      (closing ??= (async () => {
        o.clock.clearTimeout(timer);
        // end() sends what is queued (the last withdraw-all state) before the FIN.
        await Promise.all(
          [...clients].map((s) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.end(resolve)))),
        );
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await unlink(o.path).catch(() => undefined);
      })()),
  };
}
