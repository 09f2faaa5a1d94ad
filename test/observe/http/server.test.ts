// The status server on a real loopback socket in front of the real stack: authentication (401 without or with
// wrong credentials), CSRF guards, operator actions that really change the kernel table, and HTTPS.
import { writeFileSync } from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import type { Config } from '../../../src/model/config';
import { createTlsFixtures, type TlsFixtures } from '../../support/tls';
import { prepareObservability } from '../../../src/observe/http/observability';
import { createLogger, createMemorySink } from '../../../src/observe/log/logger';
import type { StatusModel } from '../../../src/observe/status/model';
import { parsePrometheusText, sampleOf } from '../metrics/support/prom-text';
import {
  basicAuth,
  httpCheckedCf,
  loadText,
  realPool,
  startReal,
  startStack,
  statusConfig,
  usersFile,
  withStatus,
  type RealServer,
  type Stack,
} from '../status/support/stack';
import { until } from '../../support/until';

const ALICE = basicAuth('alice', 's3cret');

const cf = (port: number): string => httpCheckedCf(['checkinterval=1', 'quiescent=no'], [`127.0.0.1:${port} masq 4`]);

describe('status server with statususers', () => {
  let real: RealServer;
  let stack: Stack;
  let R: string;
  let dir: string;
  let config: Config;

  const status = async (): Promise<StatusModel> => {
    const r = await fetch(`${stack.url}status.json`, { headers: { Authorization: ALICE } });
    expect(r.status).toBe(200);
    return (await r.json()) as StatusModel;
  };
  const realOf = async () => (await status()).virtuals[0]?.reals[0];
  const kernelWeight = async (): Promise<number | null> => {
    const dests = await stack.ipvs.listDests({ family: 'inet', protocol: 'tcp', address: '127.0.0.1', port: 8080 });
    return dests.find((d) => d.port === real.port)?.weight ?? null;
  };
  const act = (body: unknown, headers: Record<string, string>) =>
    fetch(`${stack.url}api/action`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    real = await startReal();
    R = `tcp:127.0.0.1:8080|127.0.0.1:${real.port}`;
    ({ config, dir } = await statusConfig(cf(real.port), { alice: 's3cret' }));
    // Many wrong logins in a row here: the flood limit itself is tested in abuse.test.ts.
    stack = await startStack(config, { statsTtlMs: 0, authLimits: { burst: 1000 } });
    await until('the real up in the kernel', async () => ((await kernelWeight()) === 4 ? true : undefined));
  });
  afterAll(async () => {
    await stack?.stop();
    await real?.down();
  });

  it('answers 401 with a Basic challenge without or with wrong credentials, on every route', async () => {
    for (const path of ['', 'status.json', 'metrics', 'nope']) {
      const none = await fetch(`${stack.url}${path}`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Basic realm="ldirectord", charset="UTF-8"');
      expect(await none.text()).not.toContain('127.0.0.1');
      for (const wrong of [basicAuth('alice', 'S3cret'), basicAuth('mallory', 's3cret'), 'Basic !!!', 'Bearer x']) {
        expect((await fetch(`${stack.url}${path}`, { headers: { Authorization: wrong } })).status).toBe(401);
      }
    }
    expect((await fetch(`${stack.url}status.json`, { headers: { Authorization: ALICE } })).status).toBe(200);
    expect((await fetch(`${stack.url}nope`, { headers: { Authorization: ALICE } })).status).toBe(404);
  });

  it('changes nothing for an action without credentials, with wrong ones, or failing the CSRF guards', async () => {
    const drain = { target: R, override: 'drain' };
    const attempts: Array<[Record<string, string>, number]> = [
      [{ 'X-Ldirectord-Action': '1' }, 401],
      [{ 'X-Ldirectord-Action': '1', Authorization: basicAuth('alice', 'nope') }, 401],
      [{ Authorization: ALICE }, 403], // no custom header: what a cross-site form would send
      [{ Authorization: ALICE, 'X-Ldirectord-Action': '1', Origin: 'http://evil.example' }, 403],
    ];
    for (const [headers, code] of attempts) {
      const r = await act(drain, headers);
      expect([r.status, headers]).toEqual([code, headers]);
    }
    const text = await fetch(`${stack.url}api/action`, {
      method: 'POST',
      headers: { Authorization: ALICE, 'X-Ldirectord-Action': '1', 'Content-Type': 'text/plain' },
      body: JSON.stringify(drain),
    });
    expect(text.status).toBe(403);
    expect((await fetch(`${stack.url}api/action`, { headers: { Authorization: ALICE } })).status).toBe(405);
    expect((await realOf())?.override).toBe('none');
    expect(await kernelWeight()).toBe(4);
  });

  it('rejects bad action bodies with a clear 4xx and changes nothing', async () => {
    const h = { Authorization: ALICE, 'X-Ldirectord-Action': '1' };
    const cases: Array<[unknown, number, RegExp]> = [
      [
        { target: 'tcp:127.0.0.1:8080|10.9.9.9:80', override: 'drain' },
        404,
        /no real server "tcp:127\.0\.0\.1:8080\|10\.9\.9\.9:80" in the running configuration/,
      ],
      [{ target: R, override: 'explode' }, 400, /"override" must be one of drain, maintenance, none/],
      [{ target: R, override: 'drain', extra: 1 }, 400, /unknown field\(s\): extra/],
      [[1, 2], 400, /must be a JSON object/],
    ];
    for (const [body, code, msg] of cases) {
      const r = await act(body, h);
      expect(r.status).toBe(code);
      expect(((await r.json()) as { error: string }).error).toMatch(msg);
    }
    const big = await act({ target: 'x'.repeat(5000), override: 'drain' }, h);
    expect(big.status).toBe(413);
    expect(await kernelWeight()).toBe(4);
  });

  it('drains to weight 0, puts in and out of maintenance, and clears, with the effect in the kernel', async () => {
    const h = { Authorization: ALICE, 'X-Ldirectord-Action': '1', Origin: stack.url.replace(/\/$/, '') };
    let r = await act({ target: R, override: 'drain' }, h);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ target: R, override: 'drain', changed: true });
    expect(await kernelWeight()).toBe(0);
    expect(await realOf()).toMatchObject({
      health: 'up',
      override: 'drain',
      weight: { configured: 4, desired: 0, kernel: 0 },
    });
    const metrics = parsePrometheusText(
      await (await fetch(`${stack.url}metrics`, { headers: { Authorization: ALICE } })).text(),
    );
    expect(sampleOf(metrics, 'ldirectord_real_server_operator_override', { real: `127.0.0.1:${real.port}` })).toEqual({
      name: 'ldirectord_real_server_operator_override',
      labels: { virtual: 'tcp:127.0.0.1:8080', real: `127.0.0.1:${real.port}`, override: 'drain' },
      value: 1,
    });
    expect(
      sampleOf(metrics, 'ldirectord_real_server_weight', { real: `127.0.0.1:${real.port}`, source: 'kernel' }).value,
    ).toBe(0);

    r = await act({ target: R, override: 'maintenance' }, h);
    expect(r.status).toBe(200);
    // maintenance = a maintenancedir flag file: forced down; with quiescent=no the server leaves the table
    await until('the real removed', async () => ((await kernelWeight()) === null ? true : undefined));
    expect(await realOf()).toMatchObject({ health: 'down', override: 'maintenance', weight: { kernel: null } });

    r = await act({ target: R, override: 'none' }, h);
    expect(await r.json()).toEqual({ target: R, override: 'none', changed: true });
    await until('the real back at weight 4', async () => ((await kernelWeight()) === 4 ? true : undefined));
    const recent = (await status()).recent.filter((e) => e.kind === 'operator').map((e) => e.text);
    expect(recent).toEqual(['override cleared by alice', 'maintenance by alice', 'drain by alice']);
    expect(stack.sink.messages()).toContain(`operator alice: ${R} set to drain`);
  });

  it('re-reads the users file on reload (a bad one keeps the previous users)', async () => {
    const get = (auth: string) =>
      fetch(`${stack.url}status.json`, { headers: { Authorization: auth } }).then((r) => r.status);
    writeFileSync(path.join(dir, 'users'), 'alice:plaintext\n');
    expect(await stack.reload(config)).toBe(true);
    await until('the bad file reported', async () =>
      stack.sink
        .messages()
        .some((m) => /^statususers .*users: .*users:1: expected user:\$scrypt\$.*; keeping the previous users$/.test(m))
        ? true
        : undefined,
    );
    expect(await get(ALICE)).toBe(200);
    await usersFile(dir, { alice: 'rotated' });
    expect(await stack.reload(config)).toBe(true);
    await until('the rotated password accepted', async () =>
      (await get(basicAuth('alice', 'rotated'))) === 200 ? true : undefined,
    );
    expect(await get(ALICE)).toBe(401);
  });
});

describe('status server without statususers (loopback)', () => {
  it('serves reads but refuses actions with 401', async () => {
    const real = await startReal();
    const { config } = await statusConfig(cf(real.port));
    const stack = await startStack(config);
    try {
      expect((await fetch(`${stack.url}status.json`)).status).toBe(200);
      const page = await fetch(stack.url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(
        /default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]+'/,
      );
      // (the SVG namespace name is a URI, never fetched)
      expect(await page.text()).not.toMatch(
        /<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!127|www\.w3\.org\/2000\/svg\b)/,
      );
      const r = await fetch(`${stack.url}api/action`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Ldirectord-Action': '1' },
        body: JSON.stringify({ target: `tcp:127.0.0.1:8080|127.0.0.1:${real.port}`, override: 'drain' }),
      });
      expect(r.status).toBe(401);
      expect(stack.obs.events && (await stack.obs.status()).virtuals[0]?.reals[0]?.override).toBe('none');
    } finally {
      await stack.stop();
      await real.down();
    }
  });
});

describe('status server over TLS', () => {
  let tls: TlsFixtures;
  beforeAll(() => {
    tls = createTlsFixtures('status.test');
  });
  afterAll(() => tls?.cleanup());

  const get = (url: string, auth?: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = https.get(
        url,
        { ca: tls.ca, servername: 'status.test', headers: auth === undefined ? {} : { Authorization: auth } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
    });

  it('serves HTTPS with the configured certificate and still wants credentials', async () => {
    const real = await startReal();
    const { config } = await statusConfig(
      cf(real.port),
      { alice: 's3cret' },
      { statustlscert: tls.good.certPath, statustlskey: tls.good.keyPath },
    );
    const stack = await startStack(config);
    try {
      expect(stack.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      expect((await get(`${stack.url}status.json`)).status).toBe(401);
      const ok = await get(`${stack.url}status.json`, ALICE);
      expect(ok.status).toBe(200);
      expect((JSON.parse(ok.body) as StatusModel).virtuals[0]?.id).toBe('tcp:127.0.0.1:8080');
    } finally {
      await stack.stop();
      await real.down();
    }
  });

  it('refuses to prepare with an unreadable certificate or users file, naming the directive', async () => {
    const config = withStatus(await loadText(cf(1)), {
      statusaddress: '127.0.0.1:0',
      statustlscert: '/nonexistent/cert.pem',
      statustlskey: tls.good.keyPath,
    });
    const logger = createLogger({ sink: createMemorySink() });
    await expect(prepareObservability({ config, ...realPool(), logger })).rejects.toMatchObject({
      code: 'STATUS_TLS_UNREADABLE',
      message: `${config.file}:1:1: statustlscert /nonexistent/cert.pem: ENOENT`,
    });
    const c2 = withStatus(await loadText(cf(1)), { statususers: '/nonexistent/users' });
    await expect(prepareObservability({ config: c2, ...realPool(), logger })).rejects.toMatchObject({
      code: 'STATUS_USERS_UNREADABLE',
    });
  });
});
