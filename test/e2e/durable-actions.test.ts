// An operator action is acknowledged only once it is durable. The built daemon (`npm run build`) runs
// `-d --dry-run` in a private mount namespace whose run directory (where the overrides file lives) is a
// 64 KiB tmpfs; the test fills that tmpfs through /proc/PID/root and asks for a drain: the answer is a 500
// naming ENOSPC, the status still shows no override, and no temporary file is left behind. With space again,
// the same drain answers 200 and the file holds it. Needs root (unshare -m, mount).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, sandbox } from '../integration/support';
import { until } from '../support/until';
import { basicAuth, httpCheckedCf, startReal, usersFile, type RealServer } from '../observe/status/support/stack';
import type { StatusModel } from '../../src/observe/status/model';
import { freePort } from '../support/ports';

const BIN = path.join(ROOT, 'bin', 'ldirectord');
const BUILT = existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'));
const ROOTED = process.getuid?.() === 0;

if (!BUILT || !ROOTED)
  console.warn('SKIPPING the durable-actions test: needs `npm run build` and root (unshare -m, mount)');
const maybe = BUILT && ROOTED ? test : test.skip;

maybe(
  'a drain whose save fails on a full run directory answers 500 and changes nothing; with space it is kept',
  async () => {
    const real: RealServer = await startReal();
    const s = sandbox();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const users = await usersFile(s.dir, { ops: 'pw' });
    writeFileSync(
      s.cf,
      httpCheckedCf(
        ['checkinterval=1', `statusaddress=127.0.0.1:${port}`, `statususers=${users}`],
        [`127.0.0.1:${real.port} masq 3`],
      ),
    );
    const script = 'mount -t tmpfs -o size=64k ldd-full "$LDIRECTORD_RUN_DIR" && exec "$0" "$@"';
    const child: ChildProcess = spawn(
      'unshare',
      ['-m', '--propagation', 'private', 'sh', '-c', script, BIN, '-d', '--dry-run', s.cf, 'start'],
      { env: s.env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr?.on('data', (b: Buffer) => void (log += b.toString()));
    const auth = { Authorization: basicAuth('ops', 'pw') };
    const R = `tcp:127.0.0.1:8080|127.0.0.1:${real.port}`;
    const status = async (): Promise<StatusModel | undefined> => {
      const r = await fetch(`${url}status.json`, { headers: auth }).catch(() => undefined);
      return r?.status === 200 ? ((await r.json()) as StatusModel) : undefined;
    };
    const drain = (): Promise<Response> =>
      fetch(`${url}api/action`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json', 'X-Ldirectord-Action': '1' },
        body: JSON.stringify({ target: R, override: 'drain' }),
      });
    try {
      await until(
        'the real server up',
        async () => ((await status())?.virtuals[0]?.reals[0]?.health === 'up' ? true : undefined),
        30_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; daemon log:\n${log}`);
      });
      // The daemon's view of its run directory: the tmpfs, seen through its mount namespace.
      const runDir = `/proc/${child.pid as number}/root${s.runDir}`;
      const filler = path.join(runDir, 'filler');
      expect(() => writeFileSync(filler, Buffer.alloc(1 << 20))).toThrow(/ENOSPC/);

      const refused = await drain();
      expect(refused.status).toBe(500);
      expect(((await refused.json()) as { error: string }).error).toMatch(
        /cannot save the operator overrides \(ENOSPC\); nothing changed/,
      );
      expect((await status())?.virtuals[0]?.reals[0]?.override).toBe('none');
      expect(readdirSync(runDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

      rmSync(filler);
      const kept = await drain();
      expect([kept.status, await kept.json()]).toEqual([200, { target: R, override: 'drain', changed: true }]);
      expect((await status())?.virtuals[0]?.reals[0]?.override).toBe('drain');
      const saved = readdirSync(runDir).filter((f) => f.endsWith('.overrides.json'));
      expect(saved).toHaveLength(1);
      expect(JSON.parse(readFileSync(path.join(runDir, saved[0] as string), 'utf8'))).toEqual({
        version: 1,
        overrides: { [R]: 'drain' },
      });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) =>
        child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r),
      );
      await real.down();
    }
  },
  90_000,
);
