// A check's timeout counts from when it really starts (issue 18 item 1): a check that waited in a message port
// (or behind a starved worker's event loop) longer than its timeout before a worker started it is late, not
// failed; its own timeout still runs, from the worker's start; and the checks that stay on the main thread
// keep their exact timeout, the pool's deadline being only a backstop.
import { createHealthPool } from '../../../src/health/pool';
import type { Check, CheckResult, PoolTarget, Transition } from '../../../src/health/types';
import { createCheckWorkers } from '../../../src/health/workers/runner';
import { createFakeClock } from '../../support/fake-clock';
import { untilAborted } from '../silent-check';
import { specFor } from '../spec-fixture';
import { fakeWorkers } from './fake-worker';

const PORT_MS = 1500; // each way: three quarters of the 2 s timeout, so a round trip is 3 s

const target = (address: string, spec: Parameters<typeof specFor>[0] = {}): PoolTarget => ({
  id: `v|${address}`,
  spec: specFor({ address, negotiatetimeout: 2, ...spec }),
  intervalMs: 10_000,
  failurecount: 1,
  successcount: 1,
});

async function harness(check: Check) {
  const clock = createFakeClock();
  const fakes = fakeWorkers(check, clock, { delayMs: PORT_MS });
  const workers = createCheckWorkers({ count: 1, clock, spawn: fakes.spawn, local: check });
  await clock.advanceAndSettle(PORT_MS); // 'ready' crosses the port
  expect(workers.live()).toBe(1);
  const results: { at: number; ok: boolean; reason: string }[] = [];
  const pool = createHealthPool({
    clock,
    runCheck: workers.run,
    workerLagMs: workers.lagMs,
    deadlineMs: workers.deadlineMs,
    onCheck: (o) => results.push({ at: o.endedAt, ok: o.result.ok, reason: o.result.reason }),
  });
  const transitions: Transition[] = [];
  pool.onTransitions((b) => transitions.push(...b));
  const stop = async (): Promise<void> => {
    await pool.stop();
    await workers.close();
  };
  return { clock, fakes, pool, results, transitions, stop, t0: clock.now() };
}

test('a healthy server whose check queued longer than its timeout before the worker started it stays up', async () => {
  const answered: number[] = [];
  const h = await harness((spec) => {
    answered.push(h.clock.now());
    return Promise.resolve<CheckResult>({ ok: true, reason: `${spec.address}: 200 OK`, durationMs: 0 });
  });
  h.pool.setTargets([target('127.0.0.1')]);
  h.pool.start();
  await h.clock.advanceAndSettle(5000);
  // Sent at t0, started by the worker at t0 + 1.5 s, answered at once, back at t0 + 3 s: past the 2 s timeout
  // counted from the pool's start, well inside it counted from the worker's.
  expect(answered).toEqual([h.t0 + PORT_MS]);
  expect(h.results).toEqual([{ at: h.t0 + 2 * PORT_MS, ok: true, reason: '127.0.0.1: 200 OK' }]);
  expect(h.transitions).toEqual([{ id: 'v|127.0.0.1', up: true, reason: '127.0.0.1: 200 OK', at: h.t0 + 3000 }]);
  await h.stop();
});

test('a silent server still times out after its own timeout, counted from when the worker started the check', async () => {
  const h = await harness((_spec, signal) => untilAborted(signal, 'HTTP GET: timed out after 2 s'));
  h.pool.setTargets([target('127.0.0.1')]);
  h.pool.start();
  await h.clock.advanceAndSettle(10_000);
  // Started at t0 + 1.5 s, aborted by the worker at t0 + 3.5 s, the answer back at t0 + 5 s; the pool's backstop
  // (three timeouts and 10 s: t0 + 16 s) never fires.
  expect(h.results).toEqual([{ at: h.t0 + 5000, ok: false, reason: 'HTTP GET: timed out after 2 s' }]);
  expect(h.transitions).toEqual([
    { id: 'v|127.0.0.1', up: false, reason: 'HTTP GET: timed out after 2 s', at: h.t0 + 5000 },
  ]);
  await h.stop();
});

test('a check that stays on the main thread keeps its exact timeout: the pool deadline is only a backstop', async () => {
  const h = await harness((_spec, signal) => untilAborted(signal, 'ping: no answer'));
  // A UDP connect check is a ping (route.ts): it runs on the main thread, bounded by checktimeout × checkcount.
  h.pool.setTargets([
    target('127.0.0.1', { checktype: { kind: 'connect' }, protocol: 'udp', checktimeout: 1, checkcount: 2 }),
  ]);
  h.pool.start();
  await h.clock.advanceAndSettle(10_000);
  expect(h.fakes.started[0]?.orders).toBe(0);
  expect(h.results).toEqual([{ at: h.t0 + 2000, ok: false, reason: 'ping: no answer' }]);
  await h.stop();
  expect(h.clock.pending()).toBe(0);
});
