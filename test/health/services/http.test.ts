// http/https checks against a real nginx on loopback, started by this test.
import { createServer } from 'node:http';
import { createHttpCheck } from '../../../src/health/services/http';
import type { CheckSpec } from '../../../src/health/types';
import { startNginx, type Nginx } from '../../support/nginx';
import { freePort } from '../../support/ports';
import { createTlsFixtures, type TlsFixtures } from '../../support/tls';
import { leakedSince, snapshotHandles } from '../../support/leaks';
import { specFor } from '../spec-fixture';

let nginx: Nginx;
let tls: TlsFixtures;
let P: number; // plain HTTP
let S: number; // HTTPS, SNI: backend.test → good cert, anything else → wrong-name cert
let E: number; // HTTPS with an expired certificate
const check = (spec: CheckSpec) => createHttpCheck({ ca: tls.ca })(spec, new AbortController().signal);
const http = (o: Partial<CheckSpec>) => specFor({ address: '127.0.0.1', port: P, ...o });
const https = (o: Partial<CheckSpec>) => specFor({ service: 'https', address: '127.0.0.1', port: S, ...o });

beforeAll(async () => {
  tls = createTlsFixtures('backend.test');
  [P, S, E] = [await freePort(), await freePort(), await freePort()];
  nginx = await startNginx(
    () => `
  server {
    listen 127.0.0.1:${P} default_server;
    server_name _;
    location = /health { return 200 "healthy\\n"; }
    location = /down { return 503; }
    location = /host { return 200 "host=$http_host ua=$http_user_agent\\n"; }
    location = /redirect { return 302 /health; }
    location = /elsewhere { return 302 http://127.0.0.2:9/x; }
    location = /loop { return 302 /loop; }
  }
  server {
    listen 127.0.0.1:${P};
    server_name vhost.test;
    location = /health { return 200 "vhost page\\n"; }
  }
  server {
    listen 127.0.0.1:${S} ssl default_server;
    server_name _;
    ssl_certificate ${tls.wrongName.certPath};
    ssl_certificate_key ${tls.wrongName.keyPath};
    location / { return 200 "tls default\\n"; }
  }
  server {
    listen 127.0.0.1:${S} ssl;
    server_name backend.test;
    ssl_certificate ${tls.good.certPath};
    ssl_certificate_key ${tls.good.keyPath};
    location / { return 200 "tls backend.test\\n"; }
  }
  server {
    listen 127.0.0.1:${E} ssl;
    ssl_certificate ${tls.expired.certPath};
    ssl_certificate_key ${tls.expired.keyPath};
    location / { return 200 "expired\\n"; }
  }`,
    [P, S, E],
  );
});

afterAll(async () => {
  await nginx?.stop();
  tls?.cleanup();
});

test('200 is up, with the status line in the reason', async () => {
  const r = await check(http({ request: '/health' }));
  expect(r).toMatchObject({ ok: true, reason: `HTTP GET http://127.0.0.1:${P}/health: 200 OK` });
});

test('a request without a leading slash is normalised like the reference', async () => {
  expect((await check(http({ request: 'health' }))).reason).toBe(`HTTP GET http://127.0.0.1:${P}/health: 200 OK`);
});

test('503 is down: "HTTP GET url: 503 Service Unavailable"', async () => {
  const r = await check(http({ request: '/down' }));
  expect(r).toMatchObject({ ok: false, reason: `HTTP GET http://127.0.0.1:${P}/down: 503 Service Unavailable` });
});

test('receive: a body match is up, a mismatch is down with an excerpt of the body', async () => {
  expect((await check(http({ request: '/health', receive: 'heal+thy' }))).ok).toBe(true);
  const r = await check(http({ request: '/health', receive: 'NOPE' }));
  expect(r.ok).toBe(false);
  expect(r.reason).toBe(
    `HTTP GET http://127.0.0.1:${P}/health: 200 OK but the body does not match /NOPE/ (starts "healthy\\n")`,
  );
});

test('HEAD: status decides, receive is not applied to an empty body', async () => {
  expect(await check(http({ request: '/health', httpmethod: 'HEAD', receive: 'healthy' }))).toMatchObject({
    ok: true,
    reason: `HTTP HEAD http://127.0.0.1:${P}/health: 200 OK`,
  });
  expect((await check(http({ request: '/down', httpmethod: 'HEAD' }))).ok).toBe(false);
});

test('virtualhost selects the name-based server; without it Host is ip:port', async () => {
  expect((await check(http({ request: '/health', virtualhost: 'vhost.test', receive: '^vhost page' }))).ok).toBe(true);
  expect((await check(http({ request: '/host', receive: `host=127\\.0\\.0\\.1:${P} ua=ldirectord-ts` }))).ok).toBe(
    true,
  );
});

test('redirects: same origin followed, another origin reported down, loops bounded', async () => {
  const same = await check(http({ request: '/redirect', receive: 'healthy' }));
  expect(same.ok).toBe(true);
  expect(same.reason).toContain(`(redirected to http://127.0.0.1:${P}/health): 200 OK`);
  const other = await check(http({ request: '/elsewhere' }));
  expect(other).toMatchObject({
    ok: false,
    reason: `HTTP GET http://127.0.0.1:${P}/elsewhere: 302 Found redirect to http://127.0.0.2:9/x (another origin, not followed)`,
  });
  expect((await check(http({ request: '/loop' }))).reason).toContain('more than 3 redirects');
});

test('a per-real absolute URL targets the URL host and port, not the real server', async () => {
  const r = await check(specFor({ address: '127.0.0.9', port: 1, request: `http://127.0.0.1:${P}/health` }));
  expect(r).toMatchObject({ ok: true, reason: `HTTP GET http://127.0.0.1:${P}/health: 200 OK` });
});

test('connection refused is down with the errno', async () => {
  const port = await freePort();
  const r = await check(http({ port, request: '/' }));
  expect(r.ok).toBe(false);
  expect(r.reason).toBe(`HTTP GET http://127.0.0.1:${port}/: connect ECONNREFUSED 127.0.0.1:${port}`);
});

test('https with SNI from virtualhost and full verification', async () => {
  const r = await check(https({ request: '/', virtualhost: 'backend.test', receive: 'tls backend\\.test' }));
  expect(r).toMatchObject({
    ok: true,
    reason: `HTTP GET https://127.0.0.1:${S}/: 200 OK, body matches /tls backend\\.test/`,
  });
});

test('https without virtualhost: no SNI (IP URL), chain verified, hostname not (as the reference)', async () => {
  expect((await check(https({ request: '/', receive: 'tls default' }))).ok).toBe(true);
});

test('https: the name is checked against virtualhost when verification is on, not when it is off', async () => {
  const on = await check(https({ request: '/', virtualhost: 'other.test' }));
  expect(on.ok).toBe(false);
  expect(on.reason).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
  expect((await check(https({ request: '/', virtualhost: 'other.test', tlsVerify: false }))).ok).toBe(true);
});

test('https: an untrusted chain is down with verification on, up with it off', async () => {
  const untrusted = createHttpCheck(); // system roots only: our test CA is unknown
  const spec = https({ request: '/', virtualhost: 'backend.test' });
  const r = await untrusted(spec, new AbortController().signal);
  expect(r.ok).toBe(false);
  expect(r.reason).toBe(
    `HTTP GET https://127.0.0.1:${S}/: UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate`,
  );
  expect((await untrusted({ ...spec, tlsVerify: false }, new AbortController().signal)).ok).toBe(true);
});

test('https: an expired certificate is down with verification on', async () => {
  const r = await check(https({ port: E, request: '/' }));
  expect(r.ok).toBe(false);
  expect(r.reason).toContain('CERT_HAS_EXPIRED');
});

test('many checks leave no socket behind', async () => {
  const before = snapshotHandles();
  for (let i = 0; i < 20; i += 1) {
    await check(http({ request: i % 2 === 0 ? '/health' : '/down' }));
    await check(https({ request: '/', virtualhost: 'backend.test' }));
  }
  expect(await leakedSince(before)).toEqual([]);
});

test('http_proxy: the absolute request URL is asked of the real server acting as proxy', async () => {
  const seen: string[] = [];
  const proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} host=${req.headers.host}`);
    res.end('proxied ok');
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  try {
    const r = await check(
      specFor({ service: 'http_proxy', port, request: 'http://www.example.test/health', receive: 'proxied' }),
    );
    expect(r).toMatchObject({
      ok: true,
      reason: `HTTP GET http://www.example.test/health via proxy http://127.0.0.1:${port}: 200 OK, body matches /proxied/`,
    });
    expect(seen).toEqual(['GET http://www.example.test/health host=www.example.test']);
  } finally {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }
});

test('IPv6 real servers: bracketed URL and Host', async () => {
  const hosts: string[] = [];
  const server = createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    res.end('v6');
  });
  await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const r = await check(specFor({ address: '::1', family: 'inet6', port, request: '/', receive: 'v6' }));
    expect(r.ok).toBe(true);
    expect(r.reason).toBe(`HTTP GET http://[::1]:${port}/: 200 OK, body matches /v6/`);
    expect(hosts).toEqual([`[::1]:${port}`]);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('a request path that would break the request line is refused, never sent', async () => {
  const r = await check(http({ request: '/health HTTP/1.1\r\nX-Injected: 1' }));
  expect(r.ok).toBe(false);
  expect(r.reason).toBe(
    `HTTP GET http://127.0.0.1:${P}/health HTTP/1.1\r\nX-Injected: 1: invalid request path "/health HTTP/1.1\\r\\nX-Injected: 1"`,
  );
});
