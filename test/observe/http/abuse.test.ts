// The status server against a hostile local client, on a real loopback socket in front of the real stack:
// a wrong-password flood is answered 429 after a few tries, without scrypt, while credentials that verified
// still pass; without statususers, a Host that is not this server's (DNS rebinding) is refused.
import * as http from 'node:http';
import { createAuthLimiter } from '../../../src/observe/http/auth-limiter';
import { allowedHosts, hostName } from '../../../src/observe/http/routes';
import { basicAuth, httpCheckedCf, startReal, startStack, statusConfig } from '../status/support/stack';

const cf = (port: number): string => httpCheckedCf(['checkinterval=1'], [`127.0.0.1:${port} masq 4`]);

/** A GET with exactly these headers (fetch would not let a test choose Host). */
function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      })
      .on('error', reject);
  });
}

test('a wrong-password flood gets 429 after 5 tries, fast; the right password, once verified, still passes', async () => {
  const real = await startReal();
  const stack = await startStack((await statusConfig(cf(real.port), { alice: 's3cret' })).config);
  try {
    const url = `${stack.url}status.json`;
    expect((await get(url, { Authorization: basicAuth('alice', 's3cret') })).status).toBe(200);
    const statuses: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 20; i++)
      statuses.push((await get(url, { Authorization: basicAuth('alice', `guess${i}`) })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    // Past the burst of 5, one more try (one scrypt) per second of the flood at most; the rest are 429.
    const seconds = Math.ceil((Date.now() - t0) / 1000);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5 + seconds);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const refused = await get(url, { Authorization: basicAuth('mallory', 'x') });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await get(url, { Authorization: basicAuth('alice', 's3cret') })).status).toBe(200);
  } finally {
    await stack.stop();
    await real.down();
  }
}, 30_000);

test("without statususers, a Host that is not this server's name is refused (DNS rebinding); its own names pass", async () => {
  const real = await startReal();
  const stack = await startStack((await statusConfig(cf(real.port))).config);
  try {
    const port = new URL(stack.url).port;
    const url = `${stack.url}status.json`;
    expect((await get(url, { Host: `attacker.example:${port}` })).status).toBe(403);
    expect((await get(url, { Host: 'rebind.127.0.0.1.nip.io' })).status).toBe(403);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect([host, (await get(url, { Host: host })).status]).toEqual([host, 200]);
    }
  } finally {
    await stack.stop();
    await real.down();
  }
}, 30_000);

test('host names and the allowlist', () => {
  expect(hostName('Example.COM:9186')).toBe('example.com');
  expect(hostName('[::1]:9186')).toBe('[::1]');
  expect(hostName('127.0.0.1')).toBe('127.0.0.1');
  expect([...allowedHosts('::1')].sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
  expect(allowedHosts('127.0.0.2').has('127.0.0.2')).toBe(true);
});

test('auth limiter: a burst of 5 failures, then one per second, per client', () => {
  let now = 0;
  const l = createAuthLimiter({ now: () => now });
  for (let i = 0; i < 5; i++) {
    expect(l.waitMs('a')).toBe(0);
    l.failed('a');
  }
  expect(l.waitMs('a')).toBe(1000);
  expect(l.waitMs('b')).toBe(0);
  now = 999;
  expect(l.waitMs('a')).toBe(1);
  now = 1000;
  expect(l.waitMs('a')).toBe(0);
  l.failed('a');
  expect(l.waitMs('a')).toBe(1000);
  now = 10_000;
  expect(l.waitMs('a')).toBe(0);
});
