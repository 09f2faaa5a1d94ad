// How the pool contains failures (pool.ts): a check that threw or outlived its deadline becomes a failed
// CheckResult that names the check, and an observer that throws is ignored.
import type { CheckResult, CheckSpec } from './types';

/** Observers are the daemon's code; a bug in one must not stop health checking. */
export function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function describe(spec: CheckSpec): string {
  const kind = spec.checktype.kind === 'negotiate' ? `${spec.service} check` : `${spec.checktype.kind} check`;
  return `${kind} of ${spec.address}:${spec.port}`;
}

/** The failed result of a check, with why it failed. */
export function failure(spec: CheckSpec, why: string): CheckResult {
  return { ok: false, reason: `${describe(spec)}: ${why}`, durationMs: 0 };
}
