// The one pure reducer that decides what check results mean for a (virtual, real) pair.
//
//   unknown ──first result──▶ up | down          (the first result decides at once; see docs/compat.md)
//   up   + failure: counter+1; counter ≥ failurecount → down, else a soft failure "n/N"
//   up   + success: counter reset to 0
//   down + failure: not counted (docs/behaviour.md §4.3), success streak reset (noted when there was one)
//   down + success: streak+1; streak ≥ successcount → up, else "success n/N"
//   forced up/down (checktype on/off, maintenance): bypasses both counters
//
// Transitions are emitted only when the up/down value changes, each with its reason.

export interface TargetState {
  /** undefined until the first result or force decides. */
  readonly up: boolean | undefined;
  /** Consecutive failures counted while up. */
  readonly failures: number;
  /** Consecutive successes while down. */
  readonly successes: number;
}

export interface Thresholds {
  readonly failurecount: number;
  readonly successcount: number;
}

export type StateEvent =
  | { readonly kind: 'result'; readonly ok: boolean; readonly reason: string }
  | { readonly kind: 'force'; readonly up: boolean; readonly reason: string };

/** A step worth a log line that is not a transition; src/observe/log/health-notes.ts words it. */
export type StepNote =
  | { readonly kind: 'soft-failure'; readonly count: number; readonly of: number; readonly reason: string }
  | { readonly kind: 'failures-reset'; readonly reason: string }
  | { readonly kind: 'soft-success'; readonly count: number; readonly of: number; readonly reason: string }
  | { readonly kind: 'successes-reset'; readonly reason: string };

export interface Step {
  readonly state: TargetState;
  /** Set only when up/down changed. */
  readonly transition?: { readonly up: boolean; readonly reason: string };
  /** A log-worthy note that is not a transition (a soft failure 1/3, a success 1/2, a counter reset). */
  readonly note?: StepNote;
}

export const UNKNOWN: TargetState = Object.freeze({ up: undefined, failures: 0, successes: 0 });

function changed(up: boolean, reason: string): Step {
  return { state: { up, failures: 0, successes: 0 }, transition: { up, reason } };
}

export function reduce(state: TargetState, event: StateEvent, limits: Thresholds): Step {
  if (event.kind === 'force') {
    if (state.up === event.up) return { state: { up: event.up, failures: 0, successes: 0 } };
    return changed(event.up, event.reason);
  }
  if (state.up === undefined) return changed(event.ok, event.reason);
  if (state.up) {
    if (event.ok) {
      if (state.failures === 0) return { state };
      return { state: { up: true, failures: 0, successes: 0 }, note: { kind: 'failures-reset', reason: event.reason } };
    }
    const failures = state.failures + 1;
    if (failures >= Math.max(1, limits.failurecount)) return changed(false, event.reason);
    return {
      state: { up: true, failures, successes: 0 },
      note: { kind: 'soft-failure', count: failures, of: limits.failurecount, reason: event.reason },
    };
  }
  if (!event.ok) {
    if (state.successes === 0) return { state };
    return { state: { up: false, failures: 0, successes: 0 }, note: { kind: 'successes-reset', reason: event.reason } };
  }
  const successes = state.successes + 1;
  if (successes >= Math.max(1, limits.successcount)) return changed(true, event.reason);
  return {
    state: { up: false, failures: 0, successes },
    note: { kind: 'soft-success', count: successes, of: limits.successcount, reason: event.reason },
  };
}
