// Which npm packages the built daemon (`npm run build` first) carries (issue 18 item 2, memory): prom-client
// only from the first request for /metrics, yargs (the CLI's parser) never in the detached daemon child nor
// dns-packet without a DNS check, and of the netlink package only its raw socket.
// A probe preloaded into every node process of the run (NODE_OPTIONS=--require) writes, every 50 ms, which of
// the two packages that process has loaded to <dir>/probe.<pid>.json.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { until } from '../support/until';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'ldirectord');
const BUILT = existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'));

const PROBE = `'use strict';
const fs = require('node:fs');
const out = process.env.MODULES_PROBE;
const write = () => {
  const files = Object.keys(require.cache);
  const has = (p) => files.some((f) => f.includes('/node_modules/' + p + '/'));
  fs.writeFileSync(out + '.' + process.pid + '.json.tmp', JSON.stringify({ at: Date.now(), promClient: has('prom-client'), yargs: has('yargs'), dnsPacket: has('dns-packet') }));
  fs.renameSync(out + '.' + process.pid + '.json.tmp', out + '.' + process.pid + '.json');
};
setInterval(write, 50).unref();
`;

interface Reading {
  readonly at: number;
  readonly promClient: boolean;
  readonly yargs: boolean;
  readonly dnsPacket: boolean;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ldts-modules-'));
  writeFileSync(path.join(dir, 'probe.cjs'), PROBE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  LDIRECTORD_RUN_DIR: path.join(dir, 'run'),
  NODE_OPTIONS: `--require ${path.join(dir, 'probe.cjs')}`,
  MODULES_PROBE: path.join(dir, 'probe'),
});

/** The probe's first reading of process `pid` taken after `since` (ms since the epoch). */
const readingOf = (pid: number, since: number): Promise<Reading> =>
  until(`a reading of process ${pid}`, () => {
    const file = path.join(dir, `probe.${pid}.json`);
    if (!existsSync(file)) return undefined;
    const r = JSON.parse(readFileSync(file, 'utf8')) as Reading;
    return r.at > since ? r : undefined;
  });

function config(statusaddress: string): string {
  const cf = path.join(dir, 'lvs.cf');
  writeFileSync(
    cf,
    [
      'checkinterval=1',
      `statusaddress=${statusaddress}`,
      `logfile="${path.join(dir, 'log')}"`,
      'virtual=127.0.0.1:8080',
      '\treal=127.0.0.2:8080 masq',
      '\tchecktype=on',
      '',
    ].join('\n'),
  );
  return cf;
}

test('the built daemon exists (run `npm run build` before this suite)', () => {
  expect(BUILT).toBe(true);
});

(BUILT ? test : test.skip)(
  '-d: prom-client is loaded with the first request for /metrics, which serves the counts from before it',
  async () => {
    const child = spawn(process.execPath, [BIN, '-d', '--dry-run', config('127.0.0.1:0'), 'start'], {
      env: env(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const url = await until('the status page', () => /status page at (http:\S+)/.exec(stderr)?.[1]);
      await until('the real server added', () =>
        stderr.includes('Added real server: 127.0.0.2:8080') ? true : undefined,
      );
      const page = await fetch(url);
      expect(page.status).toBe(200);
      await page.text();
      expect((await readingOf(child.pid as number, Date.now())).promClient).toBe(false);

      const res = await fetch(`${url}metrics`);
      expect(res.status).toBe(200);
      const body = await res.text();
      // counted before the registry existed: the start pass, its operations, the reload series at 0
      expect(body).toMatch(/^ldirectord_reconcile_passes_total\{phase="start"\} 1$/m);
      expect(body).toMatch(/^ldirectord_ipvs_operations_total\{operation="add-dest"\} 1$/m);
      expect(body).toMatch(/^ldirectord_config_reloads_total\{result="success"\} 0$/m);
      expect(body).toMatch(/^ldirectord_reconcile_duration_seconds_count\{phase="start"\} 1$/m);
      expect(body).toMatch(/^process_resident_memory_bytes \d+$/m);
      expect((await readingOf(child.pid as number, Date.now())).promClient).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
  },
  90_000,
);

(BUILT ? test : test.skip)(
  'start: the detached daemon child loads neither yargs, nor dns-packet without a DNS check, nor prom-client with statusaddress=none, and shares one malloc arena',
  async () => {
    mkdirSync(path.join(dir, 'run'));
    const cf = config('none');
    const started = spawnSync(process.execPath, [BIN, '--dry-run', cf, 'start'], { env: env(), encoding: 'utf8' });
    expect([started.status, started.stderr]).toEqual([0, expect.stringContaining('started with pid')]);
    const pid = Number(/started with pid: (\d+)/.exec(started.stderr)?.[1]);
    try {
      expect(await readingOf(pid, Date.now())).toMatchObject({ promClient: false, yargs: false, dnsPacket: false });
      // glibc's arenas shared (src/daemon/process/malloc-env.ts): set in the child's environment by the CLI
      expect(readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')).toContain('MALLOC_ARENA_MAX=1');
    } finally {
      const stopped = spawnSync(process.execPath, [BIN, cf, 'stop'], { env: env(), encoding: 'utf8' });
      expect(stopped.status).toBe(0);
    }
  },
  90_000,
);

test("the IPVS transport loads the netlink package's raw socket and native binding, not its other layers", () => {
  const transport = path.join(ROOT, 'src', 'ipvs', 'transport', 'raw-socket.ts');
  const script = `require(${JSON.stringify(transport)});
    const files = Object.keys(require.cache).filter((f) => f.includes('/node_modules/netlink/'));
    process.stdout.write(JSON.stringify(files.map((f) => f.replace(/.*\\/node_modules\\/netlink\\//, '')).sort()));`;
  const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
    encoding: 'utf8',
  });
  const files = JSON.parse(out) as string[];
  expect(files.filter((f) => f.startsWith('dist/'))).toEqual(['dist/raw.js']);
  expect(files.some((f) => f.endsWith('.node'))).toBe(true); // the native binding
});
