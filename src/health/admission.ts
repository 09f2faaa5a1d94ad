// Adaptive admission of checks: how many may be in flight, decided from how far behind the process's own
// event loop is. When the loop lags, the checker itself is overloaded (CPU-bound): starting more checks at
// once would only slow every check down together until they all hit their timeouts, and healthy real servers
// would be declared down for *our* overload. So the limit is halved while the loop lags and grows back by a
// step while it keeps up (AIMD); due checks beyond the limit wait their turn, which shows as lateness against
// the schedule, never as a false failure. Checks that only wait on the network (a dead server's timeout) cost
// no CPU and do not make the loop lag, so they keep the limit high.
// Pure: fed one lag sample per window, returns the next limit.

export interface AdmissionPolicy {
  /** The configured bound (HealthPoolDeps.concurrency). */
  readonly max: number;
  /** Never below this many in flight. */
  readonly floor: number;
  /** A window whose worst event-loop delay exceeds this halves the limit. */
  readonly highLagMs: number;
  /** A window whose worst delay stays under this grows the limit by `step` (or an eighth, if more). */
  readonly lowLagMs: number;
  readonly step: number;
  /** Length of one sampling window, ms of clock time. */
  readonly windowMs: number;
}

export const DEFAULT_ADMISSION: Omit<AdmissionPolicy, 'max'> = {
  floor: 16,
  highLagMs: 100,
  lowLagMs: 25,
  step: 16,
  windowMs: 250,
};

/**
 * Halve on lag; grow by a step or an eighth of the limit, whichever is more, while the loop keeps up. The
 * proportional growth matters when checks wait on servers that never answer: each slot then holds a check for
 * its whole timeout, and a limit of 1,024 halved by one blip would take 8 s to win back a step at a time
 * (blackholed servers re-checked at a fraction of their rate meanwhile); an eighth wins it back in ~1.5 s.
 */
export function nextLimit(limit: number, lagMs: number, policy: AdmissionPolicy): number {
  if (lagMs > policy.highLagMs) return Math.max(policy.floor, Math.floor(limit / 2));
  if (lagMs < policy.lowLagMs) return Math.min(policy.max, limit + Math.max(policy.step, Math.floor(limit / 8)));
  return limit;
}
