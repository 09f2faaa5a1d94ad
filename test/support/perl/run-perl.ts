// Runs the Perl ldirectord (Debian's package, /usr/sbin/ldirectord) on a config and returns the IPVS table it
// programs, as docs/behaviour.md's authors observed it: `ldirectord -d CFG start` in a scratch directory that
// holds fake-ipvsadm.pl as ./ipvsadm (with -d the Perl script runs ./ipvsadm when it exists, §1.1), which
// records the calls and answers `ipvsadm -L -n` from the table it was told to build.
//
// Every real server must be up so that the table is comparable with `--print-table` (all up): the copy of the
// config the Perl ldirectord reads has `checktype=on` as the last line of each virtual section, which changes
// no address, port, weight or scheduling field. Once the Perl ldirectord sleeps between check rounds (its
// main loop's `sleep $CHECKINTERVAL`, seen in /proc/PID/syscall), its first rounds are done and the table is
// read with `./ipvsadm -S -n`; it is then killed with SIGKILL, so that cleanstop does not empty the table.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { until } from '../until';

export const PERL_LDIRECTORD = '/usr/sbin/ldirectord';
const FAKE = path.join(__dirname, 'fake-ipvsadm.pl');

/** x86-64 (and arm64/generic) syscall numbers of nanosleep and clock_nanosleep, which Perl's sleep() uses. */
const SLEEP_SYSCALLS = new Set(['35', '230', '101', '115']);

export interface PerlRun {
  /** `ipvsadm -S -n` lines of the table the Perl ldirectord built (thresholds appended as `-x U -y L`). */
  readonly table: string;
  /** Everything the Perl ldirectord wrote (its -d log). */
  readonly log: string;
  /** The ipvsadm calls it made, one per line. */
  readonly calls: string;
}

/** The config with `checktype=on` appended to every virtual section (ldirectord.cf's section rules, §2.1). */
export function withChecksOn(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let lastIndented = -1; // index in out of the last indented line of the open section
  let open = false;
  const close = (): void => {
    if (open && lastIndented >= 0) out.splice(lastIndented + 1, 0, '\tchecktype=on');
    open = false;
    lastIndented = -1;
  };
  for (const line of lines) {
    const indented = /^(\t| {4})/.test(line) && line.trim() !== '';
    const comment = /^\s*#/.test(line);
    if (open && !indented && !comment) close();
    if (/^virtual6?\s*=/.test(line)) {
      open = true;
      out.push(line);
      lastIndented = out.length - 1;
      continue;
    }
    out.push(line);
    if (open && indented && !comment) lastIndented = out.length - 1;
  }
  close();
  return out.join('\n');
}

function sleeping(pid: number): boolean {
  try {
    const syscall = fs.readFileSync(`/proc/${pid}/syscall`, 'utf8').split(' ')[0] ?? '';
    return SLEEP_SYSCALLS.has(syscall);
  } catch {
    return false;
  }
}

export async function runPerlLdirectord(configFile: string, timeoutMs = 30_000): Promise<PerlRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perl-ld-'));
  try {
    fs.copyFileSync(FAKE, path.join(dir, 'ipvsadm'));
    fs.chmodSync(path.join(dir, 'ipvsadm'), 0o755);
    const cfg = path.join(dir, path.basename(configFile));
    fs.writeFileSync(cfg, withChecksOn(fs.readFileSync(configFile, 'utf8')));
    const child = spawn(PERL_LDIRECTORD, ['-d', cfg, 'start'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      log += t;
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      log += t;
    });
    const closed = new Promise((r) => child.once('close', r));
    try {
      await until(
        'the Perl ldirectord sleeping between check rounds',
        () => {
          if (child.exitCode !== null) throw new Error(`the Perl ldirectord exited ${child.exitCode}:\n${log}`);
          return child.pid !== undefined && sleeping(child.pid) ? true : undefined;
        },
        timeoutMs,
      );
      const table = execFileSync(path.join(dir, 'ipvsadm'), ['-S', '-n'], { cwd: dir }).toString();
      const calls = fs.existsSync(path.join(dir, 'ipvsadm.calls'))
        ? fs.readFileSync(path.join(dir, 'ipvsadm.calls'), 'utf8')
        : '';
      return { table, log, calls };
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- the Perl ldirectord said:\n${log}`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
      await closed;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
