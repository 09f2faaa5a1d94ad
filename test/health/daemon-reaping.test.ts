// Issue 12 item 1 against the built daemon (`npm run build` first): `ldirectord -d --dry-run CONF start` with
// an external check whose script leaves `setsid sh -c 'sleep 100000'` behind on its stdout. For the real
// whose script then exits 0, the result arrives (the real is added); for the real whose script hangs, the
// check ends at its checktimeout (the next run starts); no process of an ended check is left; TERM finishes
// and leaves nothing behind.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readLines, waitFor } from '../daemon/support/wait';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'ldirectord');
const BUILT = existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'));

/** pid → command line of every live process whose command line contains `marker`. */
function withMarker(marker: string): Map<number, string> {
  const found = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(marker)) found.set(Number(name), cmdline.split('\0').join(' '));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

let dir: string;
afterAll(() => {
  for (const pid of withMarker(`${dir}/esc-`).keys()) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('the built daemon exists (run `npm run build` before this suite)', () => {
  expect(BUILT).toBe(true);
});

(BUILT ? test : test.skip)(
  'a check whose setsid grandchild holds its stdout ends, reports, and leaves no process',
  async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ldts-reapd-'));
    const runDir = path.join(dir, 'run');
    mkdirSync(runDir);
    const calls = path.join(dir, 'calls');
    const script = path.join(dir, 'check.sh');
    // Each run records "RIP pid" and leaves an escapee whose argv names that run: esc-RIP-pid.
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        `echo "$3 $$" >> ${calls}`,
        `setsid sh -c 'sleep 100000' "${dir}/esc-$3-$$" &`,
        '[ "$3" = 127.0.0.2 ] && exit 0',
        'sleep 100000',
        '',
      ].join('\n'),
    );
    chmodSync(script, 0o755);
    const cf = path.join(dir, 'lvs.cf');
    writeFileSync(
      cf,
      [
        'checkinterval=1',
        'statusaddress=none',
        `logfile="${path.join(dir, 'log')}"`,
        'virtual=127.0.0.1:8080',
        '\treal=127.0.0.2:8080 masq',
        '\treal=127.0.0.3:8080 masq',
        '\tchecktype=external',
        `\tcheckcommand=${script}`,
        '\tchecktimeout=1',
        '',
      ].join('\n'),
    );
    const child = spawn(BIN, ['-d', '--dry-run', cf, 'start'], {
      env: { PATH: process.env.PATH, LDIRECTORD_RUN_DIR: runDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const runsOf = (rip: string): string[] =>
      readLines(calls)
        .filter((l) => l.startsWith(`${rip} `))
        .map((l) => l.split(' ')[1] as string);

    await waitFor(
      'the real whose check exits 0 to be added',
      () => stderr.includes('Added real server: 127.0.0.2:8080'),
      undefined,
      30_000,
    );
    await waitFor(
      'two runs of each check (the hanging one ended at its timeout)',
      () => runsOf('127.0.0.2').length >= 2 && runsOf('127.0.0.3').length >= 2,
      dir,
      30_000,
    );
    // The first run of each has ended: nothing it started may be alive.
    for (const rip of ['127.0.0.2', '127.0.0.3']) {
      const first = runsOf(rip)[0] as string;
      expect([...withMarker(`${dir}/esc-${rip}-${first}`).values()]).toEqual([]);
    }
    expect(stderr).not.toContain('127.0.0.3:8080 (127.0.0.1:8080) (Weight set');

    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toContain('Linux Director Daemon terminated on signal: TERM');
    expect([...withMarker(`${dir}/esc-`).values()]).toEqual([]);
  },
  90_000,
);
