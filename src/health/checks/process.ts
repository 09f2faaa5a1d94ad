// Runs a command (no shell) for external, external-perl and ping checks. The child is spawned detached, so it
// leads its own process group; at the deadline the whole group gets SIGKILL (the reference only TERMs the
// direct child and leaves grandchildren and zombies behind, §5.2 #24). After a normal exit the group is
// killed too, so a script that backgrounded something cannot leave it running. The promise settles only
// once the child has been reaped ('close'), so nothing outlives the check.
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

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

const OUTPUT_LIMIT = 512;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function runProcess(
  file: string, args: readonly string[], signal: AbortSignal, spawn: SpawnFn = nodeSpawn,
): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve({ code: null, signal: null, aborted: true, output: '' });
      return;
    }
    let output = '';
    let aborted = false;
    let spawnError: string | undefined;
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    let child: ChildProcess;
    try {
      child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: null, signal: null, aborted: false, spawnError: (err as Error).message, output: '' });
      return;
    }
    const onAbort = (): void => {
      aborted = true;
      killGroup(child);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = `${err.code ?? 'error'}: ${err.message}`;
    });
    child.on('exit', () => killGroup(child));
    child.on('close', (code, sig) => {
      signal.removeEventListener('abort', onAbort);
      resolve({ code, signal: sig, aborted, spawnError, output: output.trim() });
    });
  });
}
