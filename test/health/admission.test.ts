// Adaptive admission: the pure AIMD rule, and the pool under a fake clock with a checker that is CPU-bound
// (its event loop lags whenever more than four checks are in flight): the pool must then keep few checks in
// flight and run late, rather than start everything and let the checks time out.
import { DEFAULT_ADMISSION, nextLimit, type AdmissionPolicy } from '../../src/health/admission';
import { createHealthPool } from '../../src/health/pool';
import type { Check, CheckResult, Transition } from '../../src/health/types';
import { createFakeClock } from '../support/fake-clock';
import { targetFor } from './spec-fixture';

const target = targetFor;

const policy: AdmissionPolicy = { ...DEFAULT_ADMISSION, max: 64, floor: 4, step: 8 };

test.each([
  ['lag above highLagMs halves', 64, 150, 32],
  ['never below the floor', 6, 500, 4],
  ['lag under lowLagMs grows by a step', 32, 5, 40],
  ['never above max', 60, 0, 64],
  ['lag between the thresholds keeps the limit', 32, 50, 32],
])('%s', (_name, limit, lag, expected) => {
  expect(nextLimit(limit, lag, policy)).toBe(expected);
});

test('lag under lowLagMs grows by an eighth of the limit when that is more than a step', () => {
  expect(nextLimit(512, 5, { ...policy, max: 2048 })).toBe(576);
  expect(nextLimit(2000, 5, { ...policy, max: 2048 })).toBe(2048);
});

function cpuBoundRun(withAdmission: boolean) {
  const clock = createFakeClock();
  let inFlight = 0;
  let peakSteady = 0;
  let runs = 0;
  const check: Check = (_spec, signal) =>
    new Promise<CheckResult>((resolve) => {
      inFlight += 1;
      runs += 1;
      // From 2 s on: the first round (all at once at start) and the limit's recovery after it are over.
      if (clock.now() >= 2000) peakSteady = Math.max(peakSteady, inFlight);
      const end = (result: CheckResult): void => {
        inFlight -= 1;
        resolve(result);
      };
      const timer = clock.setTimeout(() => end({ ok: true, reason: 'ok', durationMs: 300 }), 300);
      signal.addEventListener(
        'abort',
        () => {
          clock.clearTimeout(timer);
          end({ ok: false, reason: 'aborted', durationMs: 0 });
        },
        { once: true },
      );
    });
  const pool = createHealthPool({
    clock,
    runCheck: check,
    concurrency: 64,
    ...(withAdmission
      ? { lagMs: () => (inFlight > 4 ? 500 : 0), admission: { floor: 2, step: 2, windowMs: 100 } }
      : {}),
  });
  const batches: Transition[] = [];
  pool.onTransitions((b) => batches.push(...b));
  pool.setTargets(Array.from({ length: 40 }, (_, i) => target(`v|127.0.1.${i + 1}:80`, `127.0.1.${i + 1}`)));
  pool.start();
  return { clock, pool, batches, stats: () => ({ runs, peakSteady }) };
}

test('without admission a slow checker keeps ~12 checks of 300 ms in flight (40 targets over 1 s)', async () => {
  const run = cpuBoundRun(false);
  await run.clock.advanceAndSettle(5000);
  expect(run.stats().peakSteady).toBeGreaterThanOrEqual(10);
  await run.pool.stop();
});

test('with admission the lagging checker keeps at most 8 in flight, runs late, and fails nobody', async () => {
  const run = cpuBoundRun(true);
  await run.clock.advanceAndSettle(5000);
  const { runs, peakSteady } = run.stats();
  // AIMD: a sample that sees more than 4 in flight halves the limit, one that sees at most 4 adds 2; with 12
  // checks' worth of demand the limit never gets two steps above 4 before a sample halves it.
  expect(peakSteady).toBeLessThanOrEqual(8);
  // Late, not lost: every target was checked, fewer times than the schedule's 5 rounds (200 runs).
  expect(runs).toBeGreaterThanOrEqual(40);
  expect(runs).toBeLessThan(200);
  // Every result was a success, so the only transitions are the first "up" of each target.
  expect(run.batches.filter((t) => !t.up)).toEqual([]);
  expect(new Set(run.batches.map((t) => t.id)).size).toBe(40);
  await run.pool.stop();
});
