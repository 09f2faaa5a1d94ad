// The container image (Dockerfile), built by scripts/container/build (buildah; the base from the registry or,
// where none answers, from Debian's packages) and run with podman as a director host runs it: host network,
// every capability dropped but NET_ADMIN and NET_RAW. `--help`, `-t` on the example config and on a broken
// one, then a --dry-run director against real servers on loopback (an HTTP server this test starts, and a
// ping check that needs NET_RAW as the non-root user), its /metrics scraped until both are up, the HEALTHCHECK
// run, then TERM and a clean exit 0. The build is the slow part (minutes from a clean machine; seconds when
// the layers are cached): scripts/test builds it in the background during the guest suite and runs this file
// afterwards (jest.container.config.js), so here it only finds the layers (docs/deployment.md).

import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { until } from '../support/until';

const ROOT = path.resolve(__dirname, '..', '..');
const PODMAN = path.join(ROOT, 'scripts', 'container', 'podman');
const BUILD = path.join(ROOT, 'scripts', 'container', 'build');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const IMAGE = `localhost/ldirectord-ts:${VERSION}`;
/** As docs/deployment.md tells operators to run it. */
const HOST_RUN = ['--network', 'host', '--cap-drop', 'ALL', '--cap-add', 'NET_ADMIN', '--cap-add', 'NET_RAW'];

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function exec(file: string, args: readonly string[], timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code =
        err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const podman = (args: readonly string[], timeoutMs?: number): Promise<Ran> => exec(PODMAN, args, timeoutMs);

/** A directory the container's non-root user can read, mounted as /etc/ha.d. */
function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ldd-container-'));
  chmodSync(dir, 0o755);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text, { mode: 0o644 });
  return dir;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

function scrape(url: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = get(url, { timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 ? body : undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

beforeAll(async () => {
  const built = await exec('bash', [BUILD], 40 * 60_000);
  if (built.code !== 0) throw new Error(`scripts/container/build failed (status ${built.code}):\n${built.stderr}`);
}, 45 * 60_000);

describe('the image', () => {
  it('runs as a non-root user under tini, has a HEALTHCHECK and OCI labels from package.json and git', async () => {
    const r = await podman(['image', 'inspect', IMAGE]);
    expect(r.code).toBe(0);
    const [img] = JSON.parse(r.stdout) as Array<{
      Config: { User: string; Entrypoint: string[]; Cmd: string[]; Labels: Record<string, string> };
      Healthcheck?: { Test: string[] };
    }>;
    expect(img?.Config.User).toBe('ldirectord');
    expect(img?.Config.Entrypoint).toEqual(['/usr/bin/tini', '--', '/usr/sbin/ldirectord']);
    expect(img?.Config.Cmd).toEqual(['ldirectord.cf', 'start']);
    expect(img?.Healthcheck?.Test).toEqual(['CMD', '/usr/local/bin/node', '/opt/ldirectord/bin/healthcheck.js']);
    const labels = img?.Config.Labels ?? {};
    const head = (await exec('git', ['-C', ROOT, 'rev-parse', 'HEAD'])).stdout.trim();
    expect(labels['org.opencontainers.image.version']).toBe(VERSION);
    expect(labels['org.opencontainers.image.revision']).toMatch(new RegExp(`^${head}(-dirty)?$`));
    expect(labels['org.opencontainers.image.licenses']).toBe('GPL-2.0-or-later');
    expect(labels['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The pin: the base's digest, and for a base made here every Debian package's version and Node's sha256.
    expect(labels['org.opencontainers.image.base.digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    const baseName = labels['org.opencontainers.image.base.name'] ?? '';
    if (baseName.startsWith('localhost/ldirectord-ts-base:')) {
      expect(labels['io.ldirectord-ts.base.debian-packages']).toMatch(/(^| )base-files=12\.\S+( |$)/);
      expect(labels['io.ldirectord-ts.base.node']).toMatch(/^20\.\d+\.\d+ sha256:[0-9a-f]{64} /);
    } else {
      expect(baseName).toBe('docker.io/library/node:20-bookworm-slim');
    }
  });

  it('gives node exactly CAP_NET_ADMIN and CAP_NET_RAW as file capabilities', async () => {
    const r = await podman([
      'run',
      '--rm',
      ...HOST_RUN,
      '--entrypoint',
      '/usr/sbin/getcap',
      IMAGE,
      '/usr/local/bin/node',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('/usr/local/bin/node cap_net_admin,cap_net_raw=ep');
  });

  it('--help exits 0 with the usage', async () => {
    const r = await podman(['run', '--rm', ...HOST_RUN, IMAGE, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage:\n {2}ldirectord \[-d\|--debug\] \[--dry-run\]/);
  });

  it('-t passes the example config and fails a broken one naming file:line', async () => {
    const example = path.join(ROOT, 'conf.d');
    const ok = await podman(['run', '--rm', ...HOST_RUN, '-v', `${example}:/etc/ha.d:ro`, IMAGE, '-t', 'example.cf']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('/etc/ha.d/example.cf: configuration OK (5 virtual services, 9 real servers)');

    const dir = configDir({ 'bad.cf': 'checkinterval=1\nbogus=1\n' });
    const bad = await podman(['run', '--rm', ...HOST_RUN, '-v', `${dir}:/etc/ha.d:ro`, IMAGE, '-t', 'bad.cf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\/etc\/ha\.d\/bad\.cf:2\b.*bogus/);
  });
});

describe('a --dry-run director in the container against real servers on loopback', () => {
  const name = `ldirectord-ts-test-${process.pid}`;
  const web = createServer((req, res) => {
    hits += 1;
    res.end('ok\n');
  });
  let hits = 0;

  afterAll(async () => {
    await podman(['rm', '-f', '-t', '0', name]);
    await new Promise((r) => web.close(r));
  });

  it('checks them, exports them up on /metrics, is healthy, and exits 0 on TERM', async () => {
    const webPort = await listen(web);
    const statusPort = await freePort();
    const dir = configDir({
      'lvs.cf': [
        'checkinterval=1',
        'checktimeout=3',
        `statusaddress=127.0.0.1:${statusPort}`,
        'virtual=127.0.0.1:80',
        `\treal=127.0.0.1:${webPort} masq`,
        '\tchecktype=negotiate',
        '\tservice=http',
        '\trequest="/"',
        '\treceive="ok"',
        '',
        'virtual=127.0.0.1:81',
        '\treal=127.0.0.3:81 masq',
        '\tchecktype=ping',
        '',
      ].join('\n'),
    });
    const started = await podman([
      'run',
      '-d',
      '--name',
      name,
      ...HOST_RUN,
      // The HEALTHCHECK's URL follows statusaddress= (docs/deployment.md).
      '-e',
      `LDIRECTORD_HEALTH_URL=http://127.0.0.1:${statusPort}/metrics`,
      '-v',
      `${dir}:/etc/ha.d:ro`,
      IMAGE,
      '--dry-run',
      'lvs.cf',
      'start',
    ]);
    expect(started.code).toBe(0);

    const metrics = `http://127.0.0.1:${statusPort}/metrics`;
    const upLine = (real: string): RegExp =>
      new RegExp(
        `^ldirectord_real_server_state\\{[^}]*real="${real.replace(/\./g, '\\.')}"[^}]*state="up"[^}]*\\} 1$`,
        'm',
      );
    const body = await until(
      'both real servers up on /metrics',
      async () => {
        const m = await scrape(metrics);
        return m !== undefined && upLine(`127.0.0.1:${webPort}`).test(m) && upLine('127.0.0.3:81').test(m)
          ? m
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(body).toMatch(upLine(`127.0.0.1:${webPort}`));
    expect(hits).toBeGreaterThan(0);

    // The daemon and tini: the non-root user, with exactly the two capabilities.
    const top = await podman(['top', name, 'user', 'capeff', 'args']);
    const rows = top.stdout
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatch(/^ldirectord\s+NET_ADMIN,NET_RAW\s+/);
    expect(rows.some((r) => /\bnode \/usr\/sbin\/ldirectord --dry-run lvs\.cf start\b/.test(r))).toBe(true);

    // The HEALTHCHECK: healthy against this status server; unhealthy where nothing answers.
    const health = await podman(['healthcheck', 'run', name]);
    expect(health.code).toBe(0);
    const closed = await freePort();
    const nowhere = `LDIRECTORD_HEALTH_URL=http://127.0.0.1:${closed}/metrics`;
    const unhealthy = await podman([
      'exec',
      '-e',
      nowhere,
      name,
      '/usr/local/bin/node',
      '/opt/ldirectord/bin/healthcheck.js',
    ]);
    expect(unhealthy.code).toBe(1);
    expect(unhealthy.stderr).toContain(`http://127.0.0.1:${closed}/metrics: connect ECONNREFUSED`);

    expect((await podman(['kill', '-s', 'TERM', name])).code).toBe(0);
    const waited = await podman(['wait', name], 90_000);
    expect(waited.stdout.trim()).toBe('0');
    const logs = await podman(['logs', name]);
    expect(logs.stdout).toMatch(/Added real server: 127\.0\.0\.1:\d+ \(127\.0\.0\.1:80\)/);
    expect(logs.stdout).toMatch(/\] Linux Director Daemon terminated on signal: TERM$/m);
  }, 300_000);
});
