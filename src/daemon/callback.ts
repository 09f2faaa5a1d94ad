// The global `callback=` (docs/behaviour.md §2.2): run with the config file's path whenever the file changed on
// disk, if the callback's program is executable. The original ran it through the shell with system(), which
// waited for ever. Here it is bounded in time (CALLBACK_TIMEOUT_MS, then its whole process group is killed) and
// the returned promise settles when it has exited, so the daemon's stop can wait for it.
// A callback made of plain words only (no quote, `$`, glob, redirection, `~`, …) is run without a shell: the
// shell would split it into the same words. Anything else still goes through `/bin/sh -c`, with the config
// path passed as a positional parameter, never pasted into the shell text.

import type { Spawner } from '../reconcile/fallback-command';

/** Below the daemon's cleanup step bound (CLEANUP_STEP_MS, 5 s), so a stop waiting on it sees it end. */
export const CALLBACK_TIMEOUT_MS = 4_000;

const PLAIN_WORDS = /^[\w/.,:=+@%-]+(?:[ \t]+[\w/.,:=+@%-]+)*$/;

/** The program and arguments that run `callback` with `file`, without a shell when the shell would change nothing. */
export function callbackArgv(callback: string, file: string): { file: string; args: string[] } {
  const text = callback.trim();
  if (PLAIN_WORDS.test(text)) {
    const [program = '', ...args] = text.split(/[ \t]+/);
    return { file: program, args: [...args, file] };
  }
  return { file: '/bin/sh', args: ['-c', `${text} "$1"`, 'sh', file] };
}

export interface CallbackDeps {
  /** Bounded in time (daemon/spawn.ts boundedSpawner with CALLBACK_TIMEOUT_MS). */
  readonly spawn: Spawner;
  /** Rejects when the program is not executable (access(2) with X_OK). */
  readonly executable: (program: string) => Promise<void>;
  readonly timeoutMs: number;
}

/** Runs the callback; resolves when it exited with status 0, rejects (with what happened) otherwise. */
export function callbackRunner(d: CallbackDeps): (callback: string, file: string) => Promise<void> {
  return async (callback, file) => {
    const program = callback.trim().split(/\s+/)[0] ?? '';
    await d.executable(program);
    const argv = callbackArgv(callback, file);
    const r = await d.spawn(argv.file, argv.args);
    if (r.signal === 'SIGKILL')
      throw new Error(`still running after ${d.timeoutMs / 1000} s: killed with its process group`);
    if (r.signal !== null) throw new Error(`killed by ${r.signal}`);
    if (r.code !== 0) throw new Error(`exited with status ${String(r.code)}`);
  };
}
