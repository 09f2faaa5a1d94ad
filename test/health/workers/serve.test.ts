// The worker's side (src/health/workers/serve.ts) on its own: ready first, answers batched per turn, and the
// event-loop delay probe that runs only while checks do.
import type { CheckResult } from '../../../src/health/types';
import type { FromWorker, ToWorker } from '../../../src/health/workers/protocol';
import { LAG_PROBE_MS, serveChecks } from '../../../src/health/workers/serve';
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
