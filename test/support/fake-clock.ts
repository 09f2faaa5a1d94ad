// The one manual clock for tests: it implements the injected Clock (src/health/types.ts) that the health pool,
// the director, the config watcher and the alerter take, and time moves only when the test says so.
//
// Shared by every user:
// - createFakeClock({ start }) starts at `start` ms (default 0). Code that shows clock.now() as a date (logs,
//   alert mails, the monitor file) gets a plausible one from `start: WALL_CLOCK_START` (2023-11-14T22:13:20Z).
// - setTimeout(fn, ms) is due at now + ms; a negative ms counts as 0, so time never runs backwards. Timers
//   fire in due order, ties in the order they were set; a timer a callback sets for a time up to the end of
//   the current advance fires in that same advance. clearTimeout(handle) forgets a timer; pending() counts
//   the timers not yet fired or cleared.
// - createFakeClock({ lateMs }) fires every timer lateMs after it is due (default 0: on time).
// - Every method is a closure: `clock.now` may be passed around unbound (the director harness gives it to
//   the logger).
//
// Where the users differ, they choose by name:
// - advance(ms) is synchronous: it fires the due timers back to back and returns; promise callbacks those
//   timers queue run only when the test awaits (see the flush helpers). The daemon and director tests use it.
// - advanceAndSettle(ms) is asynchronous: it lets microtasks settle (flushMicrotasks) before each due timer
//   and after the last, so a check a timer starts can finish, and its result schedule the next timer, inside
//   the same advance. The health-pool tests use it.
// - flushMicrotasks() runs 20 microtask generations; flushMicrotasksThenImmediate() does that and then waits
//   one macrotask turn (setImmediate), so I/O-shaped promise chains (fake fs reads, the config watcher's
//   polls) get to complete as well.
import type { Clock } from '../../src/health/types';

/** A plausible wall-clock start (2023-11-14T22:13:20Z) for code that formats clock.now() as a date. */
export const WALL_CLOCK_START = 1_700_000_000_000;

export interface FakeClockOptions {
  /** Clock time (ms) at creation; default 0. */
  readonly start?: number;
  /**
   * Every timer fires this many ms after it is due (default 0), as on a busy event loop: time jumps to the
   * late moment before the callback runs, and never runs backwards. For the pool's adaptive admission.
   */
  readonly lateMs?: number;
}

export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing each due timer at its own time, synchronously, back to back. */
  advance(ms: number): void;
  /** Moves time forward by `ms`, firing each due timer at its own time, and lets microtasks settle before each and after the last. */
  advanceAndSettle(ms: number): Promise<void>;
  /** Timers set and neither fired nor cleared. */
  pending(): number;
}

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  let now = options.start ?? 0;
  const lateMs = options.lateMs ?? 0;
  let seq = 0;
  const timers = new Map<number, Timer>();

  /** The earliest timer due at or before `end` (ties: the one set first), removed from the set. */
  const takeDue = (end: number): Timer | undefined => {
    let next: Timer | undefined;
    for (const t of timers.values()) {
      if (t.at <= end && (next === undefined || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
    }
    if (next !== undefined) timers.delete(next.id);
    return next;
  };

  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      seq += 1;
      timers.set(seq, { id: seq, at: now + Math.max(0, ms), fn });
      return seq;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    pending: () => timers.size,
    advance(ms) {
      const end = now + ms;
      for (let t = takeDue(end); t !== undefined; t = takeDue(end)) {
        now = Math.max(now, t.at + lateMs);
        t.fn();
      }
      now = Math.max(now, end);
    },
    async advanceAndSettle(ms) {
      const end = now + ms;
      for (;;) {
        await flushMicrotasks();
        const t = takeDue(end);
        if (t === undefined) break;
        now = Math.max(now, t.at + lateMs);
        t.fn();
      }
      now = Math.max(now, end);
      await flushMicrotasks();
    },
  };
}

/** Lets every queued promise callback run (20 microtask generations); no macrotask runs. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

/** flushMicrotasks(), then one macrotask turn (setImmediate): promise chains started by fired timers run to completion. */
export async function flushMicrotasksThenImmediate(): Promise<void> {
  await flushMicrotasks();
  await new Promise((r) => setImmediate(r));
}
