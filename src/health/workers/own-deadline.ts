// A check's timeout counted from when it really starts, where it runs (issue 18 item 1): on a worker, from
// when the worker starts it; on the pool's thread, from when the runner does. The pool's own deadline then
// only backs these up (backstopMs), so time a check spent queued in a message port or behind a starved event
// loop before it started is lateness, never a timeout (docs/benchmarks.md, checks on every core).
// One timer for all of them (a heap of abort times, as deadlines.ts does for the pool, decision 008). When it
// fires, the aborts wait for `defer` (setImmediate on a worker): a loop that was starved serves the I/O already
// waiting first, so an answer that came in time is read before the deadline is enforced.
import { Deadlines, type Deadline } from '../deadlines';
import { failure } from '../pool-failure';
import { timeoutMs } from '../timeout';
import type { Check, CheckResult, CheckSpec } from '../types';

export interface OwnDeadlineDeps {
  /** This thread's clock, ms. */
  readonly now: () => number;
  readonly setTimer: (fn: () => void, ms: number) => unknown;
  readonly clearTimer: (handle: unknown) => void;
  /** Runs the expired aborts after the I/O of the current turn (setImmediate); default: at once. */
  readonly defer?: (fn: () => void) => void;
}

/** A started check: abort it (the pool's abort, forwarded), and its result. */
export interface TimedCheck {
  readonly controller: AbortController;
  readonly result: Promise<CheckResult>;
}

export interface OwnDeadlines {
  /** Starts `spec` now, aborted after its own timeout (timeout.ts) unless it ended. */
  start(run: Check, spec: CheckSpec): TimedCheck;
  /** Deadlines still armed (tests). */
  pending(): number;
}

/** Added to three timeouts in backstopMs: the longest a check may wait for a starved worker to start it. */
export const BACKSTOP_QUEUE_MS = 10_000;

/**
 * How long the pool waits for a check whose runner enforces its timeout: three timeouts and ten seconds (25 s
 * at the default 5 s). It only ends a check that its worker never answered (a hung worker, which the runner
 * then kills, or a check that ignores its abort); a worker starved to 6 % of a core kept its checks' p99 at
 * 11 s from the pool's start (docs/benchmarks.md, checks on every core).
 */
export function backstopMs(spec: CheckSpec): number {
  return 3 * timeoutMs(spec) + BACKSTOP_QUEUE_MS;
}

export function createOwnDeadlines(d: OwnDeadlineDeps): OwnDeadlines {
  const heap = new Deadlines();
  const timer: { handle?: unknown; at: number } = { at: Infinity };
  let armed = 0;
  const arm = (): void => {
    const next = heap.next();
    if (next >= timer.at) return;
    if (timer.handle !== undefined) d.clearTimer(timer.handle);
    timer.at = next;
    timer.handle = next === Infinity ? undefined : d.setTimer(fire, Math.max(0, next - d.now()));
  };
  const expire = (): void => {
    heap.fire(d.now());
    arm();
  };
  function fire(): void {
    timer.handle = undefined;
    timer.at = Infinity;
    if (d.defer === undefined) expire();
    else d.defer(expire);
  }
  return {
    start: (run, spec) => {
      const controller = new AbortController();
      const limit = timeoutMs(spec);
      const deadline: Deadline = { controller, settled: false };
      heap.add(d.now() + limit, deadline);
      armed += 1;
      arm();
      const settle = (): void => {
        deadline.settled = true;
        armed -= 1;
        if (armed === 0 && timer.handle !== undefined) {
          // idle: no wakeup left behind for checks that all ended
          d.clearTimer(timer.handle);
          timer.handle = undefined;
          timer.at = Infinity;
        }
      };
      const result = Promise.resolve()
        .then(() => run(spec, controller.signal))
        .then(
          (r) => {
            const late = controller.signal.aborted && r.ok;
            settle();
            // A check that reports success after an abort is still a timeout (as in the pool).
            return late ? failure(spec, `timed out after ${limit / 1000} s`) : r;
          },
          (err: unknown) => {
            settle();
            throw err;
          },
        );
      return { controller, result };
    },
    pending: () => armed,
  };
}
