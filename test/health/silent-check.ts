// A check of a server that never answers (like a blackholed one): it ends only when the pool aborts it.
import type { Check, CheckResult } from '../../src/health/types';

/** Settles only once `signal` aborts, then as a failure with `reason`. */
export function untilAborted(signal: AbortSignal, reason = 'timed out'): Promise<CheckResult> {
  return new Promise<CheckResult>((resolve) =>
    signal.addEventListener('abort', () => resolve({ ok: false, reason, durationMs: 0 })),
  );
}

/** A check that never answers, and how many times it has been started. */
export function silentCheck(reason = 'timed out'): { check: Check; runs: () => number } {
  let runs = 0;
  const check: Check = (_spec, signal) => {
    runs += 1;
    return untilAborted(signal, reason);
  };
  return { check, runs: () => runs };
}
