// A cgroup v2 per check command (docs/decisions/009-check-process-reaping.md): every process the command
// starts, a `setsid` grandchild included, stays in the check's cgroup, and `cgroup.kill` ends them all at
// once. Process groups cannot do that (setsid leaves the group), nor can a marker in the environment
// (`env -i` drops it). The command enters its cgroup before it runs: `sh` writes its own pid into
// cgroup.procs and then execs the command with its arguments untouched (no shell parses them).
//
// The cage is found once: the cgroup2 mount (/proc/self/mountinfo) plus this process's own cgroup
// (/proc/self/cgroup, the "0::" line). Without a writable cgroup2 hierarchy the cage is absent and checks
// fall back to killing the process group (process.ts).
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';

/** One check's cgroup. */
export interface CageCell {
  /** The argv that runs `file args` inside the cell. */
  command(file: string, args: readonly string[]): { file: string; args: string[] };
  /** SIGKILL everything in the cell (cgroup.kill). Safe to call more than once. */
  kill(): Promise<void>;
  /** Wait (bounded) until the cell is empty, then remove it. */
  release(): Promise<void>;
}

export interface CheckCage {
  /** A fresh cell, or undefined when one cannot be made (the check then runs uncaged). */
  open(): Promise<CageCell | undefined>;
}

/** The file-system calls the cage makes (tests and the composition root may pass others). */
export interface CageFs {
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
}

export const systemCageFs: CageFs = {
  readFile: (p) => fsp.readFile(p, 'utf8'),
  writeFile: (p, d) => fsp.writeFile(p, d),
  mkdir: async (p) => {
    await fsp.mkdir(p);
  },
  rmdir: (p) => fsp.rmdir(p),
  readdir: (p) => fsp.readdir(p),
};

/** `sh -c TRAMPOLINE <cell> file args…`: $0 is the cell; the command replaces the shell. */
export const TRAMPOLINE = 'echo $$ > "$0/cgroup.procs" || exit 125; exec "$@"';
/** How the trampoline says the command itself could not be executed (POSIX sh: 127 not found, 126 not executable). */
export const EXEC_FAILED: Readonly<Record<number, string>> = { 127: 'ENOENT', 126: 'EACCES', 125: 'ECGROUP' };

/** How long release() waits for killed processes to leave the cell, and its polling step (ms). */
const RELEASE_WAIT_MS = 2000;
const RELEASE_STEP_MS = 10;

/** The cgroup2 mount point from /proc/self/mountinfo text, if any. */
export function cgroup2Mount(mountinfo: string): string | undefined {
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    if (line.slice(sep + 3).split(' ')[0] !== 'cgroup2') continue;
    const mountPoint = line.slice(0, sep).split(' ')[4];
    if (mountPoint !== undefined) return mountPoint.replace(/\\040/g, ' ');
  }
  return undefined;
}

/** This process's cgroup2 path from /proc/self/cgroup text ("0::/path"). */
export function ownCgroup(cgroupFile: string): string | undefined {
  const line = cgroupFile.split('\n').find((l) => l.startsWith('0::'));
  return line === undefined ? undefined : line.slice(3);
}

function populated(events: string): boolean {
  return /^populated 1$/m.test(events);
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function cellAt(fs: CageFs, dir: string): CageCell {
  let killed = false;
  const kill = async (): Promise<void> => {
    killed = true;
    await fs.writeFile(join(dir, 'cgroup.kill'), '1').catch(() => undefined);
  };
  return {
    command: (file, args) => ({ file: '/bin/sh', args: ['-c', TRAMPOLINE, dir, file, ...args] }),
    kill,
    release: async () => {
      if (!killed) await kill();
      for (let waited = 0; waited < RELEASE_WAIT_MS; waited += RELEASE_STEP_MS) {
        const events = await fs.readFile(join(dir, 'cgroup.events')).catch(() => '');
        if (!populated(events)) break;
        await wait(RELEASE_STEP_MS);
      }
      await fs.rmdir(dir).catch(() => undefined);
    },
  };
}

/**
 * The cage of this process, or undefined when cgroup2 is not mounted or not writable here (not root, a
 * read-only mount, a kernel without cgroup.kill). Probed once, by making and removing one cell.
 */
export async function findCheckCage(fs: CageFs = systemCageFs, pid = process.pid): Promise<CheckCage | undefined> {
  const mount = cgroup2Mount(await fs.readFile('/proc/self/mountinfo').catch(() => ''));
  const own = ownCgroup(await fs.readFile('/proc/self/cgroup').catch(() => ''));
  if (mount === undefined || own === undefined) return undefined;
  const base = join(mount, own);
  let seq = 0;
  const make = async (): Promise<CageCell | undefined> => {
    seq += 1;
    const dir = join(base, `ldirectord-check.${pid}.${seq}`);
    try {
      await fs.mkdir(dir);
    } catch {
      return undefined;
    }
    return cellAt(fs, dir);
  };
  const probe = await make();
  if (probe === undefined) return undefined;
  const hasKill = (await fs.readdir(join(base, `ldirectord-check.${pid}.${seq}`)).catch((): string[] => [])).includes(
    'cgroup.kill',
  );
  await probe.release();
  return hasKill ? { open: make } : undefined;
}
