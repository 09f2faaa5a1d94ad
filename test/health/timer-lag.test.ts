// Adaptive admission measured from the pool's own timer (HealthPoolDeps.adaptive): when the event loop is busy
// the pool's timer fires late, and that lateness is the delay admission reacts to. The fake clock fires every
// timer a fixed number of ms after it was due (lateMs), as a busy event loop would; the checks never finish,
// so the number started is exactly what admission let through.
import { createHealthPool } from '../../src/health/pool';
import type { Check, CheckResult, PoolTarget } from '../../src/health/types';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { specFor } from './spec-fixture';

const targets: PoolTarget[] = Array.from({ length: 200 }, (_, i) => ({
  id: `v|127.0.${Math.floor(i / 250) + 2}.${(i % 250) + 1}:80`,
  spec: specFor({ address: `127.0.${Math.floor(i / 250) + 2}.${(i % 250) + 1}` }),
  intervalMs: 1000,
  failurecount: 1,
  successcount: 1,
}));

/** Checks started in 2 s of clock time, with every timer firing `lateMs` late. */
async function started(lateMs: number, adaptive: boolean): Promise<{ started: number; clock: FakeClock }> {
  const clock = createFakeClock({ lateMs });
  let count = 0;
  const never: Check = () => {
    count += 1;
    return new Promise<CheckResult>(() => undefined);
  };
  const pool = createHealthPool({
    clock,
    runCheck: never,
    concurrency: 100,
    adaptive,
    admission: { floor: 4, step: 4, windowMs: 100 },
  });
  pool.setTargets(targets);
  pool.start();
  clock.advance(2000);
  // The pool starts a check synchronously and calls runCheck from a microtask: let those run.
  await new Promise<void>((resolve) => {
    setImmediate(resolve);
  });
  return { started: count, clock };
}

test('timers on time: the bound stays at the configured 100', async () => {
  expect((await started(0, true)).started).toBe(100);
});

test('timers 150 ms late (over highLagMs): the bound halves before the first start, so 50 of the 100 start', async () => {
  // All 200 are due at once at start; the timer fires at 150, a window (100 ms) has passed with 150 ms of
  // delay, so the bound is 50 when the pump runs; later windows halve it again, and nothing finishes.
  expect((await started(150, true)).started).toBe(50);
});

test('timers 50 ms late (between the thresholds): the bound holds, nothing is cut', async () => {
  expect((await started(50, true)).started).toBe(100);
});

test('not adaptive: late timers change nothing', async () => {
  expect((await started(150, false)).started).toBe(100);
});

test('an idle adaptive pool arms no timer at all (no sampling wakeups)', () => {
  const clock = createFakeClock();
  const pool = createHealthPool({ clock, adaptive: true });
  pool.setTargets([]);
  pool.start();
  expect(clock.pending()).toBe(0);
});
