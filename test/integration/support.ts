// Shared by the integration tests: a config and run directory in a temp dir, the test launcher of the CLI,
// and the choice of director (the real one on the in-memory IPVS table when the health pool is part of the
// build, otherwise the stand-in of test/daemon/fixtures, which the test names loudly).

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const LAUNCHER = path.join(__dirname, 'fixtures', 'ldirectord');
export const FAKE_DIRECTOR = path.join(ROOT, 'test', 'daemon', 'fixtures', 'fake-director.ts');

/** True when src/health/pool exists, i.e. --dry-run can run the real director. */
export const REAL_DIRECTOR = existsSync(path.join(ROOT, 'src', 'health', 'pool.ts'));
export const DIRECTOR_NOTE = REAL_DIRECTOR
  ? 'real director, --dry-run'
  : 'STAND-IN director (src/health/pool.ts not in this build)';

export interface Sandbox {
  readonly dir: string;
  readonly cf: string;
  readonly runDir: string;
  readonly log: string;
  readonly env: NodeJS.ProcessEnv;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(path.join(tmpdir(), 'ldd-int-'));
  const runDir = path.join(dir, 'run');
  mkdirSync(runDir);
  const log = path.join(dir, 'ldirectord.log');
  const cf = path.join(dir, 'lvs.cf');
  // statusaddress=none: daemons of parallel tests must not compete for the status page's default port.
  writeFileSync(
    cf,
    `checkinterval=1\nstatusaddress=none\nlogfile="${log}"\nvirtual=127.0.0.1:8080\n\treal=127.0.0.2:8080 masq\n\tchecktype=on\n`,
  );
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    LDIRECTORD_RUN_DIR: runDir,
    OCF_ROOT: '/usr/lib/ocf',
    LDD_TEST_DIRECTOR_MODULE: REAL_DIRECTOR ? '' : FAKE_DIRECTOR,
    FAKE_DIRECTOR_JOURNAL: path.join(dir, 'journal'),
  };
  return { dir, cf, runDir, log, env };
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, [...args], { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code =
        err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
