// How a check worker's failures reach the pool, under the fake clock with stand-in workers (fake-worker.ts):
// a worker that dies fails the checks it had in flight, once, with a reason, and is replaced; one that hangs
// past an abort is killed and replaced; one that cannot start leaves its checks to the main thread and is
// retried with a growing delay. Nothing of it throws at the pool.
import { createHealthPool } from '../../../src/health/pool';
import type { Check, CheckResult, PoolTarget, Transition } from '../../../src/health/types';
import { createCheckWorkers, type WorkerDeath } from '../../../src/health/workers/runner';
import { createFakeClock } from '../../support/fake-clock';
import { silentCheck, untilAborted } from '../silent-check';
import { specFor } from '../spec-fixture';
import { fakeWorkers } from './fake-worker';

const target = (address: string): PoolTarget => ({
  id: `v|${address}`,
  spec: specFor({ address, negotiatetimeout: 2 }),
  intervalMs: 1000,
  failurecount: 1,
  successcount: 1,
});

const ok = (address: string): Promise<CheckResult> =>
  Promise.resolve({ ok: true, reason: `${address}: 200 OK`, durationMs: 0 });

function harness(
  check: Check,
  spawn?: (
    fakeSpawn: (i: number) => ReturnType<ReturnType<typeof fakeWorkers>['spawn']>,
    i: number,
  ) => ReturnType<ReturnType<typeof fakeWorkers>['spawn']>,
) {
  const clock = createFakeClock();
  const fakes = fakeWorkers(check, clock);
  const deaths: WorkerDeath[] = [];
  let localRuns = 0;
  const workers = createCheckWorkers({
    count: 1,
    clock,
    spawn: spawn === undefined ? fakes.spawn : (i) => spawn(fakes.spawn, i),
    local: (spec, signal) => {
      localRuns += 1;
      return check(spec, signal);
    },
    onDeath: (d) => deaths.push(d),
  });
  const pool = createHealthPool({
    clock,
    runCheck: workers.run,
    workerLagMs: workers.lagMs,
    deadlineMs: workers.deadlineMs,
  });
  const transitions: Transition[] = [];
  pool.onTransitions((b) => transitions.push(...b));
  return { clock, fakes, deaths, workers, pool, transitions, localRuns: () => localRuns };
}

test('a worker that dies fails its checks in flight once, with the reason, and is replaced: no down for good', async () => {
  let hang = true;
  const check: Check = (spec, signal) =>
    spec.address === '127.0.0.9' && hang ? untilAborted(signal) : ok(spec.address);
  const h = harness(check);
  h.pool.setTargets([target('127.0.0.1'), target('127.0.0.9')]);
  h.pool.start();
  await h.clock.advanceAndSettle(10); // first round: .1 answered, .9 in flight
  expect(h.pool.isUp('v|127.0.0.1')).toBe(true);
  expect(h.pool.isUp('v|127.0.0.9')).toBeUndefined();
  hang = false;
  h.fakes.started[0]?.die('Cannot read properties of undefined');
  await h.clock.advanceAndSettle(0);
  const reason = 'check of 127.0.0.9:80: check worker 1 exited (code 1): Cannot read properties of undefined';
  expect(h.transitions).toContainEqual({ id: 'v|127.0.0.9', up: false, reason, at: 10 });
  expect(h.deaths).toEqual([
    { worker: 1, why: 'exited (code 1): Cannot read properties of undefined', failedChecks: 1, restartInMs: 0 },
  ]);
  expect(h.fakes.started).toHaveLength(2); // replaced at once: it had answered checks before
  expect(h.workers.live()).toBe(1);
  await h.clock.advanceAndSettle(2000); // the next round runs on the replacement, and .9 is back
  expect(h.pool.isUp('v|127.0.0.9')).toBe(true);
  expect(h.fakes.started[1]?.orders).toBeGreaterThanOrEqual(2);
  expect(h.localRuns()).toBe(0);
  await h.pool.stop();
  await h.workers.close();
  expect(h.clock.pending()).toBe(0);
});

test('a worker that does not answer an abort is killed after the grace and replaced', async () => {
  let stuck = true;
  // Ignores its signal, as a worker spinning in a loop would: the abort never reaches the check.
  const check: Check = (spec) => (stuck ? new Promise<CheckResult>(() => undefined) : ok(spec.address));
  const h = harness(check);
  h.pool.setTargets([target('127.0.0.9')]);
  h.pool.start();
  // The worker's own deadline aborts the check at 2 s (negotiatetimeout), in vain; the pool's backstop (three
  // timeouts and 10 s) aborts it at 16 s.
  await h.clock.advanceAndSettle(16_000);
  expect(h.transitions).toEqual([]);
  stuck = false;
  await h.clock.advanceAndSettle(2000); // 2 s of grace
  // Killed at 18 s and replaced at once (it had been ready); the check, overdue, runs on the replacement.
  expect(h.transitions).toEqual([
    {
      id: 'v|127.0.0.9',
      up: false,
      reason: 'check of 127.0.0.9:80: check worker 1 did not answer within 2000 ms of an abort (killed)',
      at: 18_000,
    },
    { id: 'v|127.0.0.9', up: true, reason: '127.0.0.9: 200 OK', at: 18_000 },
  ]);
  expect(h.deaths.map((d) => [d.failedChecks, d.restartInMs])).toEqual([[1, 0]]);
  expect(h.fakes.started.map((w) => w.dead)).toEqual([true, false]);
  expect(h.localRuns()).toBe(0);
  await h.pool.stop();
  await h.workers.close();
});

test('a worker that cannot start leaves its checks to the main thread and is retried after 0.5, 1, 2 s', async () => {
  let attempts = 0;
  const h = harness(
    (spec) => ok(spec.address),
    (spawn, i) => {
      attempts += 1;
      if (attempts <= 3) throw new Error('ERR_WORKER_INIT_FAILED');
      return spawn(i);
    },
  );
  expect(h.deaths).toEqual([
    { worker: 1, why: 'could not start: ERR_WORKER_INIT_FAILED', failedChecks: 0, restartInMs: 500 },
  ]);
  h.pool.setTargets([target('127.0.0.1')]);
  h.pool.start();
  await h.clock.advanceAndSettle(100);
  expect(h.pool.isUp('v|127.0.0.1')).toBe(true);
  expect(h.localRuns()).toBe(1);
  await h.clock.advanceAndSettle(3400); // retries at 0.5 s and 1.5 s fail, the one at 3.5 s starts
  expect(h.deaths.map((d) => d.restartInMs)).toEqual([500, 1000, 2000]);
  expect(h.workers.live()).toBe(1);
  const local = h.localRuns();
  await h.clock.advanceAndSettle(2000);
  expect(h.localRuns()).toBe(local);
  expect(h.fakes.started[0]?.orders).toBeGreaterThanOrEqual(2);
  await h.pool.stop();
  await h.workers.close();
  expect(h.clock.pending()).toBe(0);
});

test('lagMs is the worst round trip minus the worker time since the last call', async () => {
  const clock = createFakeClock();
  const fakes = fakeWorkers((spec) => ok(spec.address), clock, { delayMs: 30 });
  const workers = createCheckWorkers({ count: 2, clock, spawn: fakes.spawn, local: () => ok('local') });
  await clock.advanceAndSettle(30); // the workers' 'ready'
  expect(workers.live()).toBe(2);
  expect(workers.lagMs()).toBeUndefined();
  const signal = new AbortController().signal;
  const results = Promise.all([workers.run(specFor(), signal), workers.run(specFor({ address: '127.0.0.2' }), signal)]);
  await clock.advanceAndSettle(60);
  expect(await results).toEqual([
    { ok: true, reason: '127.0.0.1: 200 OK', durationMs: 0 },
    { ok: true, reason: '127.0.0.2: 200 OK', durationMs: 0 },
  ]);
  expect(fakes.started.map((w) => w.orders)).toEqual([1, 1]); // one each: the least loaded takes the next
  expect(workers.lagMs()).toBe(60); // 30 ms each way in the queues, none in the check
  expect(workers.lagMs()).toBeUndefined();
  await workers.close();
});

test('the pool feeds the workers’ lag to admission: saturated workers make checks late, not failed', async () => {
  const runsWith = async (workerLag: number | undefined): Promise<number> => {
    const silent = silentCheck();
    const clock = createFakeClock();
    let lag = workerLag;
    const pool = createHealthPool({
      clock,
      runCheck: silent.check,
      adaptive: true,
      concurrency: 100,
      busyMs: 10_000,
      workerLagMs: () => {
        const l = lag;
        lag = undefined;
        return l;
      },
      admission: { step: 1, windowMs: 100 },
    });
    clock.advance(200);
    pool.setTargets(Array.from({ length: 100 }, (_, i) => target(`127.0.2.${i + 1}`)));
    pool.start();
    await clock.advanceAndSettle(500);
    await pool.stop();
    return silent.runs();
  };
  expect(await runsWith(undefined)).toBe(100);
  expect(await runsWith(150)).toBeLessThanOrEqual(60); // halved to 50, growing by one a window
});
