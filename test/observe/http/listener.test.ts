// The status listener against clients that hold connections, on a real loopback socket: a client sending a
// header line every 2 s (slowloris) is cut at the 5 s header deadline, 64 such connections do not keep a
// legitimate request out, and the per-client cap gives up a client's own oldest waiting connection first.
import * as net from 'node:net';
import { createConnectionGuard } from '../../../src/observe/http/connection-guard';
import { listen, type RunningServer } from '../../../src/observe/http/server';
import { until } from '../../support/until';

async function started(limits?: { perClient: number; total: number }): Promise<RunningServer> {
  return listen({ host: '127.0.0.1', port: 0, handler: (_req, res) => res.end('ok'), ...(limits ? { limits } : {}) });
}

interface Loris {
  readonly socket: net.Socket;
  readonly openedAt: number;
  closedAt?: number;
  stop(): void;
}

/** A connection that sends the request line, then one header line every 2 s, never the blank line. */
function loris(port: number, localAddress = '127.0.0.1'): Promise<Loris> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    const l: Loris = { socket, openedAt: Date.now(), stop: () => clearInterval(timer) };
    const timer = setInterval(() => socket.write('X-Slow: 1\r\n'), 2000);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      l.closedAt = Date.now();
      clearInterval(timer);
    });
    socket.once('connect', () => {
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      resolve(l);
    });
    socket.once('error', reject);
  });
}

describe('status listener under held connections', () => {
  let server: RunningServer;
  const held: Loris[] = [];
  afterEach(async () => {
    for (const l of held.splice(0)) {
      l.stop();
      l.socket.destroy();
    }
    await server?.close();
  });

  test('a header line every 2 s is cut at the 5 s header deadline', async () => {
    server = await started();
    const l = await loris(server.port);
    held.push(l);
    await until('the slow connection closed by the server', async () => l.closedAt, 15_000);
    const held_ms = (l.closedAt as number) - l.openedAt;
    expect(held_ms).toBeGreaterThanOrEqual(4_500);
    expect(held_ms).toBeLessThan(6_500);
  }, 20_000);

  test('64 slow connections do not keep a legitimate request out', async () => {
    server = await started();
    for (let i = 0; i < 64; i++) held.push(await loris(server.port));
    const t0 = Date.now();
    const r = await fetch(server.url, { signal: AbortSignal.timeout(3000) });
    expect([r.status, await r.text()]).toEqual([200, 'ok']);
    expect(Date.now() - t0).toBeLessThan(3000);
  }, 20_000);

  test("over the per-client cap, that client's own oldest waiting connection is given up, not another client's", async () => {
    server = await started({ perClient: 2, total: 10 });
    const other = await loris(server.port, '127.0.0.3');
    const a = await loris(server.port, '127.0.0.2');
    const b = await loris(server.port, '127.0.0.2');
    held.push(other, a, b);
    const c = await loris(server.port, '127.0.0.2');
    held.push(c);
    await until('the oldest connection of 127.0.0.2 closed', async () => a.closedAt, 3000);
    expect([other.closedAt, b.closedAt, c.closedAt]).toEqual([undefined, undefined, undefined]);
  }, 10_000);
});

describe('connection guard (bookkeeping)', () => {
  test('only busy connections left: a new one over the cap is refused', () => {
    const g = createConnectionGuard<string>({ perClient: 2, total: 3 });
    expect(g.admit('a1', 'A')).toEqual({ admit: true, evict: [] });
    expect(g.admit('a2', 'A')).toEqual({ admit: true, evict: [] });
    g.busy('a1');
    g.busy('a2');
    expect(g.admit('a3', 'A')).toEqual({ admit: false });
    expect(g.admit('b1', 'B')).toEqual({ admit: true, evict: [] });
    // total cap: B's waiting connection is the only one that can go, and B asks again
    expect(g.admit('b2', 'B')).toEqual({ admit: true, evict: ['b1'] });
    g.idle('a1');
    expect(g.admit('c1', 'C')).toEqual({ admit: true, evict: ['a1'] });
    expect(g.size()).toBe(3);
    g.closed('b2');
    expect(g.admit('c2', 'C')).toEqual({ admit: true, evict: [] });
  });
});
