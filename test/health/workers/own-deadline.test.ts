// A check's own deadline (src/health/workers/own-deadline.ts): one timer for all checks, the aborts run after
// the turn's I/O (defer), a success after the abort is still a timeout, and an idle runner keeps no timer.
import type { CheckResult } from '../../../src/health/types';
import { createOwnDeadlines } from '../../../src/health/workers/own-deadline';
import { createFakeClock, flushMicrotasks } from '../../support/fake-clock';
import { specFor } from '../spec-fixture';

function harness() {
  const clock = createFakeClock();
  const deferred: (() => void)[] = [];
  const own = createOwnDeadlines({
    now: () => clock.now(),
    setTimer: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimer: (h) => clock.clearTimeout(h),
    defer: (fn) => void deferred.push(fn),
  });
  const runDeferred = (): void => {
    for (const fn of deferred.splice(0)) fn();
  };
  return { clock, own, runDeferred };
}

/** A check that the test answers, or that answers `aborted` once its signal fires. */
function controllable() {
  let answer: (r: CheckResult) => void = () => undefined;
  const run = (_spec: unknown, signal: AbortSignal): Promise<CheckResult> =>
    new Promise((resolve) => {
      answer = resolve;
      signal.addEventListener('abort', () => resolve({ ok: false, reason: 'aborted', durationMs: 0 }));
    });
  return { run, answer: (r: CheckResult) => answer(r) };
}

test('an answer that came in the turn the deadline fired is read before the abort (a starved loop)', async () => {
  const h = harness();
  const c = controllable();
  const { controller, result } = h.own.start(c.run, specFor({ negotiatetimeout: 2 }));
  await flushMicrotasks();
  h.clock.advance(2000); // the timer fires; the abort waits for the turn's I/O
  expect(controller.signal.aborted).toBe(false);
  c.answer({ ok: true, reason: '200 OK', durationMs: 0 }); // the I/O of that turn
  await flushMicrotasks(); // its promise jobs, which run before setImmediate's turn
  h.runDeferred();
  expect(await result).toEqual({ ok: true, reason: '200 OK', durationMs: 0 });
  expect(controller.signal.aborted).toBe(false);
});

test('a silent check is aborted at its timeout from its start; one timer serves every check; idle keeps none', async () => {
  const h = harness();
  const a = controllable();
  const b = controllable();
  const first = h.own.start(a.run, specFor({ negotiatetimeout: 2 }));
  h.clock.advance(500);
  const second = h.own.start(b.run, specFor({ negotiatetimeout: 1 })); // due at 1.5 s, before the first
  await flushMicrotasks();
  expect(h.clock.pending()).toBe(1);
  h.clock.advance(1000);
  h.runDeferred();
  expect(await second.result).toEqual({ ok: false, reason: 'aborted', durationMs: 0 });
  expect(first.controller.signal.aborted).toBe(false);
  h.clock.advance(499);
  h.runDeferred();
  expect(first.controller.signal.aborted).toBe(false);
  h.clock.advance(1);
  h.runDeferred();
  expect(await first.result).toEqual({ ok: false, reason: 'aborted', durationMs: 0 });
  expect(h.own.pending()).toBe(0);
  expect(h.clock.pending()).toBe(0);
});

test('a success reported after the abort is a timeout, named as the pool names it', async () => {
  const h = harness();
  const late = (_spec: unknown, signal: AbortSignal): Promise<CheckResult> =>
    new Promise((resolve) =>
      signal.addEventListener('abort', () => resolve({ ok: true, reason: '200 OK', durationMs: 0 })),
    );
  const { result } = h.own.start(late, specFor({ address: '127.0.0.7', negotiatetimeout: 2 }));
  await flushMicrotasks();
  h.clock.advance(2000);
  h.runDeferred();
  expect(await result).toEqual({ ok: false, reason: 'http check of 127.0.0.7:80: timed out after 2 s', durationMs: 0 });
  expect(h.clock.pending()).toBe(0);
});
