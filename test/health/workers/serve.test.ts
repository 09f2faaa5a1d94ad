// The worker's side (src/health/workers/serve.ts) on its own: ready first, answers batched per turn, and the
// event-loop delay probe that runs only while checks do; its own admission (a bound on checks started at once,
// halved while its loop lags) and the backlog it reports.
import type { CheckResult } from '../../../src/health/types';
import type { FromWorker, ToWorker } from '../../../src/health/workers/protocol';
import { LAG_PROBE_MS, serveChecks, WORKER_ADMISSION } from '../../../src/health/workers/serve';
import { untilAborted } from '../silent-check';
import { createFakeClock, flushMicrotasks } from '../../support/fake-clock';
import { specFor } from '../spec-fixture';

test('a worker whose loop runs late reports it while its checks are still running, and stops probing after', async () => {
  const clock = createFakeClock({ lateMs: 120 }); // every timer fires 120 ms late: a saturated loop
  const posted: FromWorker[] = [];
  let send: (m: ToWorker) => void = () => undefined;
  const finish: ((r: CheckResult) => void)[] = [];
  serveChecks({
    onMessage: (l) => (send = l),
    post: (m) => posted.push(m),
    run: () => new Promise<CheckResult>((resolve) => finish.push(resolve)),
    now: () => clock.now(),
    defer: (fn) => queueMicrotask(fn),
    setTimer: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimer: (handle) => clock.clearTimeout(handle),
  });
  expect(posted).toEqual([{ answers: [] }]); // ready
  expect(clock.pending()).toBe(0); // no probe while idle
  send({ run: [{ id: 1, spec: specFor() }], abort: [] });
  await flushMicrotasks();
  clock.advance(LAG_PROBE_MS + 120);
  expect(posted[1]).toEqual({ answers: [], lagMs: 120 }); // at once: no answer to ride with
  finish[0]?.({ ok: true, reason: 'fine', durationMs: 0 });
  await flushMicrotasks();
  expect(posted[2]).toEqual({ answers: [{ id: 1, ok: true, reason: 'fine', workMs: 170 }] });
  clock.advance(1000); // the probe armed before the answer fires once more, and is not re-armed
  expect(clock.pending()).toBe(0);
});

/** A worker on the fake clock whose checks never answer until aborted; what it posts, and when each check started. */
function silentWorker(clock: ReturnType<typeof createFakeClock>, lagProbe: boolean) {
  const posted: FromWorker[] = [];
  const startedAt: number[] = [];
  let send: (m: ToWorker) => void = () => undefined;
  serveChecks({
    onMessage: (l) => (send = l),
    post: (m) => posted.push(m),
    run: (_spec, signal) => {
      startedAt.push(clock.now());
      return untilAborted(signal, 'timed out after 2 s');
    },
    now: () => clock.now(),
    defer: (fn) => queueMicrotask(fn),
    setTimer: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimer: (h) => clock.clearTimeout(h),
    lagProbe,
  });
  const orders = (from: number, n: number): ToWorker => ({
    run: Array.from({ length: n }, (_, i) => ({ id: from + i, spec: specFor({ negotiatetimeout: 2 }) })),
    abort: [],
  });
  return { posted, startedAt, send: (m: ToWorker) => send(m), orders };
}

test('a worker starts at most its admission bound at once; the rest wait, and their timeout runs from their start', async () => {
  const clock = createFakeClock();
  const w = silentWorker(clock, false);
  w.send(w.orders(1, WORKER_ADMISSION.max + 2));
  await flushMicrotasks();
  expect(w.startedAt).toHaveLength(WORKER_ADMISSION.max); // two wait for a slot
  await clock.advanceAndSettle(2000); // the first ones time out from their start and free their slots
  expect(w.startedAt.slice(WORKER_ADMISSION.max)).toEqual([2000, 2000]);
  const answered = w.posted.flatMap((m) => m.answers);
  expect(answered).toHaveLength(WORKER_ADMISSION.max);
  await clock.advanceAndSettle(2000); // the two that waited get their whole 2 s
  const last = w.posted.flatMap((m) => m.answers).slice(WORKER_ADMISSION.max);
  expect(last).toEqual([
    { id: WORKER_ADMISSION.max + 1, ok: false, reason: 'timed out after 2 s', workMs: 4000 },
    { id: WORKER_ADMISSION.max + 2, ok: false, reason: 'timed out after 2 s', workMs: 4000 },
  ]);
  expect(clock.pending()).toBe(0);
});

test('an order aborted while it waits is answered at once and never started', async () => {
  const clock = createFakeClock();
  const w = silentWorker(clock, false);
  w.send(w.orders(1, WORKER_ADMISSION.max + 1));
  await flushMicrotasks();
  clock.advance(300);
  w.send({ run: [], abort: [WORKER_ADMISSION.max + 1] });
  await flushMicrotasks();
  expect(w.posted.flatMap((m) => m.answers)).toEqual([
    {
      id: WORKER_ADMISSION.max + 1,
      ok: false,
      reason: 'http check of 127.0.0.1:80: aborted before its check worker could start it',
      workMs: 300,
    },
  ]);
  await clock.advanceAndSettle(2000);
  expect(w.startedAt).toHaveLength(WORKER_ADMISSION.max);
});

test('a worker whose loop lags starts fewer checks, and reports how long its waiting checks have waited', async () => {
  const clock = createFakeClock({ lateMs: 120 }); // every timer 120 ms late: a starved thread
  const w = silentWorker(clock, true);
  w.send(w.orders(1, 2 * WORKER_ADMISSION.max));
  await flushMicrotasks();
  expect(w.startedAt).toHaveLength(WORKER_ADMISSION.max);
  await clock.advanceAndSettle(1900); // lagging windows halve the bound; nothing ages while it lags
  const reported = w.posted.map((m) => m.lagMs).filter((l): l is number => l !== undefined);
  expect(Math.max(...reported)).toBeGreaterThanOrEqual(1500); // the oldest waiting order's age
  await clock.advanceAndSettle(400); // the first 256 time out; only the halved bound's worth start
  expect(w.startedAt.length - WORKER_ADMISSION.max).toBeLessThanOrEqual(WORKER_ADMISSION.max / 2);
  expect(w.startedAt.length).toBeGreaterThan(WORKER_ADMISSION.max);
});
