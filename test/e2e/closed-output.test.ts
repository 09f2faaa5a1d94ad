// A daemon whose reader of stdout/stderr goes away (the terminal closed, `ldirectord -d … | head`, a
// supervisor that died) must not spin on write → EPIPE, must not buffer its log without bound, and must
// still stop promptly on SIGTERM. The built daemon (`npm run build`) runs `-d --dry-run` with pipes for
// stdout and stderr; once it has logged, the test closes the read ends and watches the process: its write
// syscalls (/proc/PID/io syscw) and CPU time stay flat while the director keeps checking, and TERM ends it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, sandbox } from '../integration/support';
import { until } from '../support/until';

const BIN = path.join(ROOT, 'bin', 'ldirectord');
const BUILT = existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'));

function counters(pid: number): { writes: number; cpuTicks: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const writes = Number(/syscw:\s+(\d+)/.exec(io)?.[1]);
  // utime and stime: fields 14 and 15 of /proc/PID/stat, counted after the command name's closing paren.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { writes, cpuTicks: Number(rest[11]) + Number(rest[12]) };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

if (!BUILT) console.warn('SKIPPING the closed-output test: run `npm run build` first (it spawns the built daemon)');
const maybe = BUILT ? test : test.skip;

maybe(
  'with its stdout and stderr closed, -d keeps running quietly and TERM still ends it',
  async () => {
    const s = sandbox();
    // Checks every second on a real server that refuses (nothing listens on 127.0.0.1:9): a line or more per second.
    writeFileSync(
      s.cf,
      [
        'checkinterval=1',
        'statusaddress=none',
        'virtual=127.0.0.1:8080',
        '\treal=127.0.0.1:9 masq',
        '\tchecktype=connect',
        '\tchecktimeout=1',
        '',
      ].join('\n'),
    );
    const child = spawn(BIN, ['-d', '--dry-run', s.cf, 'start'], { env: s.env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let seen = '';
      child.stderr?.on('data', (b: Buffer) => void (seen += b.toString()));
      await until(
        'the daemon logging its first pass',
        async () => (seen.includes('Added virtual server') ? true : undefined),
        30_000,
      );
      // The reader goes away.
      child.stdout?.destroy();
      child.stderr?.destroy();
      const pid = child.pid as number;
      // Let the daemon meet the closed pipe: wait until it has attempted a few more writes (a check line per second).
      const first = counters(pid);
      await until(
        'the daemon writing after the close',
        async () => (counters(pid).writes > first.writes ? true : undefined),
        15_000,
      );
      const a = counters(pid);
      // A measurement window of three seconds of checking (what is measured is a rate, not a state to wait for).
      const start = Date.now();
      await until('three seconds of checking', async () => (Date.now() - start >= 3000 ? true : undefined), 10_000);
      const b = counters(pid);
      // The spinning daemon made ~3,600 writes per second and used a whole core; a quiet one makes none or a few.
      expect(b.writes - a.writes).toBeLessThan(50);
      expect(b.cpuTicks - a.cpuTicks).toBeLessThan(100); // < 1 s of CPU in 3 s (ticks of 10 ms)
      const t0 = Date.now();
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited(child),
        new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 10_000))),
      ]);
      clearTimeout(timer);
      expect(code).not.toBe('hung');
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  },
  60_000,
);
