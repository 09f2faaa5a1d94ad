// Pure decisions of the check workers (runner.ts): which checks move to a worker, which worker takes the next
// one, and how soon a dead worker is replaced.
import type { CheckSpec } from '../types';

/**
 * Network negotiations and TCP connects run in the workers: they are the CPU of a large director (about
 * 120–170 µs of it per plain HTTP check, docs/decisions/007). Ping and external checks spawn processes
 * (checks/process.ts keeps their process groups and cgroup cage on the main thread), a UDP connect check is a
 * ping, and on/off cost nothing: those stay on the main thread.
 */
export function runsInWorker(spec: CheckSpec): boolean {
  switch (spec.checktype.kind) {
    case 'negotiate':
    case 'combined':
      return true;
    case 'connect':
      return spec.protocol !== 'udp';
    default:
      return false;
  }
}

/** The live worker with the fewest checks in flight (the lowest index on a tie), or -1 when none is live. */
export function pickWorker(inFlight: readonly (number | undefined)[]): number {
  let best = -1;
  for (let i = 0; i < inFlight.length; i += 1) {
    const n = inFlight[i];
    if (n === undefined) continue;
    if (best < 0 || n < (inFlight[best] as number)) best = i;
  }
  return best;
}

/** The first replacement waits this long after a worker died before it was ready; each further one doubles it. */
export const RESTART_BASE_MS = 500;
export const RESTART_MAX_MS = 30_000;

/**
 * How long to wait before replacing a worker, given how many times in a row one died before it was ready.
 * A worker that had been ready is replaced at once (a check crashed or hung it; the others must not wait).
 * One that dies before it is ready (it cannot load) is retried with a doubling delay, so a broken install
 * does not spin; its checks run on the main thread meanwhile (runner.ts).
 */
export function restartDelayMs(diedUnready: number): number {
  if (diedUnready <= 0) return 0;
  return Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** (diedUnready - 1));
}

/**
 * How many check workers a director runs: `checkworkers`, unset = none. Workers no longer cost false downs on a
 * starved machine (each check's timeout runs from the worker's start, own-deadline.ts), but on a 2-core machine
 * shared with the servers they were not clearly faster, and each costs memory (docs/benchmarks.md, checks on
 * every core). A default of `cores - 1` would be this line, once a machine with more cores shows the gain.
 */
export function checkWorkerCount(configured: number | undefined): number {
  return configured ?? 0;
}
