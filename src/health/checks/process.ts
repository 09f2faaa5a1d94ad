// Runs a command (no shell parses it) for external, external-perl and ping checks, so that the check ends
// at its deadline whatever the command's children do, and no process it started outlives it
// (docs/decisions/009-check-process-reaping.md):
// - With a cage (cgroup-cage.ts) the command runs in its own cgroup; when the command exits, or at the
//   deadline, everything in that cgroup is killed (a `setsid` grandchild included) and the check waits,
//   bounded, until the cgroup is empty.
// - The command also leads its own process group (spawned detached), killed the same way: the only
//   reaping there is without a cage.
// - The output pipes are read but never waited on without bound: a descendant that escaped (uncaged) and
//   keeps them open cannot hold the check past STREAM_GRACE_MS after the command exited or was killed.
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { EXEC_FAILED, type CageCell, type CheckCage } from './cgroup-cage';

export type SpawnFn = (file: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface ProcessOutcome {
  /** Exit code, or null when killed by a signal / never started. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the AbortSignal fired before the process ended. */
  readonly aborted: boolean;
  /** Set when the command could not be started (ENOENT, EACCES...). */
  readonly spawnError?: string;
  /** Last bytes the command wrote to stdout/stderr (bounded), for the reason text. */
  readonly output: string;
}

/** How the command is run: the spawn call and, when this host has one, the cgroup cage. */
export interface ProcessRunner {
  readonly spawn?: SpawnFn;
  /** Resolved once per runner (checks/index.ts); undefined: process groups only. */
  readonly cage?: Promise<CheckCage | undefined>;
}

const OUTPUT_LIMIT = 512;
/** After the command exited or was killed, its pipes get this long to close before they are cut (ms). */
export const STREAM_GRACE_MS = 200;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

async function openCell(cage: Promise<CheckCage | undefined> | undefined): Promise<CageCell | undefined> {
  const found = await cage?.catch(() => undefined);
  return found?.open().catch(() => undefined);
}

/** The trampoline's own exit statuses when the command could not be executed, as a spawn error. */
function trampolineError(code: number | null, output: string): string | undefined {
  const name = code === null ? undefined : EXEC_FAILED[code];
  if (name === undefined) return undefined;
  const line = output.split('\n').find((l) => /exec:|cgroup\.procs/.test(l));
  return line === undefined ? undefined : `${name}: ${line.trim()}`;
}

export async function runProcess(
  file: string,
  args: readonly string[],
  signal: AbortSignal,
  runner: ProcessRunner = {},
): Promise<ProcessOutcome> {
  if (signal.aborted) return { code: null, signal: null, aborted: true, output: '' };
  const cell = await openCell(runner.cage);
  try {
    return await runIn(cell, file, args, signal, runner.spawn ?? nodeSpawn);
  } finally {
    await cell?.release();
  }
}

function runIn(
  cell: CageCell | undefined,
  file: string,
  args: readonly string[],
  signal: AbortSignal,
  spawn: SpawnFn,
): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve({ code: null, signal: null, aborted: true, output: '' });
      return;
    }
    let output = '';
    let aborted = false;
    let spawnError: string | undefined;
    let exited: { code: number | null; sig: NodeJS.Signals | null } | undefined;
    let grace: NodeJS.Timeout | undefined;
    let settled = false;
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    const argv = cell === undefined ? { file, args: [...args] } : cell.command(file, args);
    let child: ChildProcess;
    try {
      child = spawn(argv.file, argv.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: null, signal: null, aborted: false, spawnError: (err as Error).message, output: '' });
      return;
    }
    const killAll = (): void => {
      killGroup(child);
      void cell?.kill();
    };
    const settle = (code: number | null, sig: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      if (grace !== undefined) clearTimeout(grace);
      signal.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      const trimmed = output.trim();
      const error = spawnError ?? (cell !== undefined && !aborted ? trampolineError(code, trimmed) : undefined);
      resolve({ code, signal: sig, aborted, ...(error !== undefined ? { spawnError: error } : {}), output: trimmed });
    };
    /** The pipes may stay open after the command is gone (an uncaged descendant holds them): bounded. */
    const startGrace = (): void => {
      if (grace !== undefined || settled) return;
      grace = setTimeout(
        () => settle(exited?.code ?? null, exited?.sig ?? (aborted ? 'SIGKILL' : null)),
        STREAM_GRACE_MS,
      );
    };
    const onAbort = (): void => {
      aborted = true;
      killAll();
      startGrace();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = `${err.code ?? 'error'}: ${err.message}`;
      startGrace();
    });
    child.on('exit', (code, sig) => {
      exited = { code, sig };
      killAll();
      startGrace();
    });
    child.on('close', (code, sig) => settle(code, sig));
  });
}
