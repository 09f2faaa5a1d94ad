// Adaptive admission of checks: how many may be in flight, decided from how far behind the process's own
// event loop is. When the loop lags, the checker itself is overloaded (CPU-bound): starting more checks at
// once would only slow every check down together until they all hit their timeouts, and healthy real servers
// would be declared down for *our* overload. So the limit is halved while the loop lags and grows back by a
// step while it keeps up (AIMD); due checks beyond the limit wait their turn, which shows as lateness against
// the schedule, never as a false failure. Checks that only wait on the network (a dead server's timeout) cost
// no CPU and do not make the loop lag, so they keep the limit high.
// Slow start (as TCP's): the limit begins at `initial`, not at the maximum, and doubles each window the loop
// keeps up, until the first lagging window; from then on it grows by `step`. So a cold start with 1,000 real
// servers due at once does not open 1,000 connections in one go and starve the event loop (in the guest
// kernel that held the first table update back for 4 s), yet reaches the maximum within a few windows when
// the checks are cheap.
// Pure: fed one lag sample per window, returns the next state.

export interface AdmissionPolicy {
  /** The configured bound (HealthPoolDeps.concurrency). */
  readonly max: number;
  /** Where the limit starts (slow start doubles it from here); at most max. */
  readonly initial: number;
  /** Never below this many in flight. */
  readonly floor: number;
  /** A window whose worst event-loop delay exceeds this halves the limit. */
  readonly highLagMs: number;
  /** A window whose worst delay stays under this grows the limit by `step`. */
  readonly lowLagMs: number;
  readonly step: number;
  /** Length of one sampling window, ms of clock time. */
  readonly windowMs: number;
}

export const DEFAULT_ADMISSION: Omit<AdmissionPolicy, 'max'> = {
  initial: 64,
  floor: 16,
  highLagMs: 100,
  lowLagMs: 25,
  step: 16,
  windowMs: 250,
};

export interface AdmissionState {
  readonly limit: number;
  /** Still doubling: no window has lagged yet. */
  readonly slowStart: boolean;
}

export function initialAdmission(policy: AdmissionPolicy): AdmissionState {
  return { limit: Math.min(policy.max, Math.max(policy.floor, policy.initial)), slowStart: true };
}

export function nextAdmission(state: AdmissionState, lagMs: number, policy: AdmissionPolicy): AdmissionState {
  if (state.slowStart && lagMs <= policy.highLagMs) {
    return lagMs < policy.lowLagMs ? { limit: Math.min(policy.max, state.limit * 2), slowStart: true } : state;
  }
  return { limit: nextLimit(state.limit, lagMs, policy), slowStart: false };
}

/** The rule after slow start: halve on lag, grow by a step while the loop keeps up (AIMD). */
export function nextLimit(limit: number, lagMs: number, policy: AdmissionPolicy): number {
  if (lagMs > policy.highLagMs) return Math.max(policy.floor, Math.floor(limit / 2));
  if (lagMs < policy.lowLagMs) return Math.min(policy.max, limit + policy.step);
  return limit;
}
