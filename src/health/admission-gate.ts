// The stateful side of admission (admission.ts holds the pure rule): whether one more check may start now.
// Two bounds:
// - `concurrency`: checks in flight at most, whatever they do (sockets, processes, memory);
// - the adaptive bound: *busy* checks at most, adapted once per window to the event loop's delay. A check is
//   busy for its first `busyMs`; a check still running after that, while the loop keeps up, waits on a server
//   that does not answer, costs no CPU, and counts only against `concurrency`. So a blackholed server costs
//   its timeout, not the checker's throughput. While the loop lags (the last window's delay over highLagMs)
//   nothing ages: a slow check may then be starved of CPU rather than waiting, and an overloaded checker
//   keeps starting fewer.
// The delay is how late the pool's own timer fired (the worst in each window, fed by the pool through
// `late()`), or `lagMs()` when given; a window without a sample keeps the bound.
import { nextLimit, type AdmissionPolicy } from './admission';
import { Fifo } from './fifo';

export interface AdmissionGateOptions {
  readonly policy: AdmissionPolicy;
  /** False: only `policy.max` (the concurrency) bounds the checks in flight. */
  readonly adaptive: boolean;
  readonly busyMs: number;
  /** Another source of the event-loop delay (ms since the previous call), sampled once per window. */
  readonly lagMs?: () => number;
  /** Clock time the first window starts at. */
  readonly now: number;
}

/** A started check, as the gate tracks it. */
export interface Ticket {
  readonly startedAt: number;
  /** No longer busy: aged past busyMs, or ended. */
  aged: boolean;
}

export interface AdmissionGate {
  /** The pool's timer fired `ms` late: the event loop's delay. */
  late(ms: number): void;
  /** Whether one more check may start at `now`, with `inFlight` running. */
  open(now: number, inFlight: number): boolean;
  started(now: number): Ticket;
  ended(ticket: Ticket): void;
  /** When a gate closed by busy checks may open by ageing, or needs a new lag sample to (the pool wakes then). */
  reopensAt(inFlight: number): number;
  /** The adaptive bound at the last window (tests, metrics). */
  readonly limit: number;
}

export function createAdmissionGate(o: AdmissionGateOptions): AdmissionGate {
  const { policy } = o;
  let limit = policy.max;
  let windowStart = o.now;
  let worstLate: number | undefined;
  let lagging = false;
  let busy = 0;
  const young = new Fifo<Ticket>();
  const unbusy = (t: Ticket): void => {
    if (t.aged) return;
    t.aged = true;
    busy -= 1;
  };
  const sample = (now: number): void => {
    if (now - windowStart < policy.windowMs) return;
    windowStart = now;
    let lag = worstLate;
    if (o.lagMs !== undefined) {
      try {
        lag = o.lagMs();
      } catch {
        lag = 0;
      }
    }
    worstLate = undefined;
    if (lag !== undefined) {
      limit = nextLimit(limit, lag, policy);
      lagging = lag > policy.highLagMs;
    }
  };
  const age = (now: number): void => {
    if (lagging) return;
    for (let t = young.peek(); t !== undefined && (t.aged || t.startedAt + o.busyMs <= now); t = young.peek()) {
      unbusy(t);
      young.shift();
    }
  };
  return {
    late: (ms) => {
      worstLate = Math.max(worstLate ?? 0, ms);
    },
    open: (now, inFlight) => {
      if (inFlight >= policy.max) return false;
      if (!o.adaptive) return true;
      sample(now);
      age(now);
      return busy < limit;
    },
    started: (now) => {
      const ticket: Ticket = { startedAt: now, aged: false };
      young.push(ticket);
      busy += 1;
      return ticket;
    },
    ended: unbusy,
    reopensAt: (inFlight) => {
      if (!o.adaptive || busy < limit || inFlight >= policy.max) return Infinity;
      if (lagging) return windowStart + policy.windowMs; // nothing ages until a window says the loop keeps up
      for (let t = young.peek(); t !== undefined && t.aged; t = young.peek()) young.shift();
      const oldest = young.peek();
      return oldest === undefined ? Infinity : oldest.startedAt + o.busyMs;
    },
    get limit() {
      return limit;
    },
  };
}
