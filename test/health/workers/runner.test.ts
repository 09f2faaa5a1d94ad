// The check workers under the fake clock, through the real pool: stand-in workers (fake-worker.ts) run the
// same scripted checks a pool without workers runs, so the two can be compared result for result; then the
// ways a worker fails (it dies, it hangs, it cannot start) and how each reaches the pool.
import { createHealthPool, type CheckObservation } from '../../../src/health/pool';
import type { Check, CheckResult, CheckSpec, PoolTarget, Transition } from '../../../src/health/types';
import { createCheckWorkers } from '../../../src/health/workers/runner';
import { createFakeClock, type FakeClock } from '../../support/fake-clock';
import { specFor } from '../spec-fixture';
import { fakeWorkers } from './fake-worker';

function target(address: string, extra: Partial<PoolTarget> = {}, spec: Partial<CheckSpec> = {}): PoolTarget {
  return {
    id: `v|${address}`,
    spec: specFor({ address, negotiatetimeout: 2, ...spec }),
    intervalMs: 1000,
    failurecount: 1,
    successcount: 1,
    ...extra,
  };
}

/** Never settles until aborted, then answers with its own timeout reason (as the real checks do). */
function untilAborted(spec: CheckSpec, signal: AbortSignal): Promise<CheckResult> {
  return new Promise((resolve) =>
    signal.addEventListener('abort', () =>
      resolve({ ok: false, reason: `HTTP GET ${spec.address}: timed out after 2 s`, durationMs: 0 }),
    ),
  );
}

/** A scripted fleet: each address answers by the number of its run (a pure function of address and run). */
function scripted(): Check {
  const runs = new Map<string, number>();
  return (spec, signal) => {
    const n = (runs.get(spec.address) ?? 0) + 1;
    runs.set(spec.address, n);
    const last = Number(spec.address.split('.')[3]);
    if (last === 9 && n % 3 === 0) return untilAborted(spec, signal); // every third run of .9 hangs
    if (last === 8 && n === 2) return Promise.reject(new Error('parser exploded')); // a bug in a check
    const ok = (n + last) % 4 !== 0;
    return Promise.resolve({ ok, reason: `${spec.address} run ${n}: ${ok ? 'ok' : '503'}`, durationMs: 0 });
  };
}

const FLEET = [
  ...['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.8', '127.0.0.9'].map((a) => target(a)),
  target('127.0.0.6', { failurecount: 2, successcount: 2 }),
  target('127.0.0.7', {}, { checktype: { kind: 'combined', n: 2 } }),
  target('127.0.0.10', {}, { checktype: { kind: 'connect' }, protocol: 'udp' }), // a ping: stays on the main thread
];

interface Run {
  readonly transitions: Transition[];
  readonly checks: Omit<CheckObservation, 'targets'>[];
  readonly orders: number;
}

/** By time, then target: the order of two results at the same instant depends on which worker answers first. */
const byTimeThenId = <T extends { at?: number; startedAt?: number; id?: string; key?: string }>(list: T[]): T[] =>
  [...list].sort(
    (a, b) =>
      (a.at ?? a.startedAt ?? 0) - (b.at ?? b.startedAt ?? 0) ||
      (a.id ?? a.key ?? '').localeCompare(b.id ?? b.key ?? ''),
  );

async function runFleet(clock: FakeClock, workers: number): Promise<Run> {
  const check = scripted();
  const fakes = fakeWorkers(check, clock);
  const w = workers > 0 ? createCheckWorkers({ count: workers, clock, spawn: fakes.spawn, local: check }) : undefined;
  const transitions: Transition[] = [];
  const checks: Omit<CheckObservation, 'targets'>[] = [];
  const pool = createHealthPool({
    clock,
    runCheck: w?.run ?? check,
    ...(w !== undefined ? { workerLagMs: w.lagMs, deadlineMs: w.deadlineMs } : {}),
    onCheck: ({ targets: _n, ...o }) => checks.push(o),
  });
  pool.onTransitions((b) => transitions.push(...b));
  pool.setTargets(FLEET);
  pool.start();
  await clock.advanceAndSettle(12_000);
  await pool.stop();
  await w?.close();
  return {
    transitions: byTimeThenId(transitions),
    checks: byTimeThenId(checks),
    orders: fakes.started.reduce((n, f) => n + f.orders, 0),
  };
}

test('a pool with workers gives the same transitions, at the same times, as without', async () => {
  const alone = await runFleet(createFakeClock(), 0);
  const two = await runFleet(createFakeClock(), 2);
  expect(alone.transitions.length).toBeGreaterThan(20);
  expect(alone.transitions.some((t) => t.reason.includes('timed out after 2 s'))).toBe(true);
  expect(alone.transitions.some((t) => t.reason.includes('check failed unexpectedly: parser exploded'))).toBe(true);
  expect(two.transitions).toEqual(alone.transitions);
  expect(two.checks).toEqual(alone.checks);
  expect(alone.checks.length).toBeGreaterThan(100);
  expect(two.orders).toBeGreaterThan(80); // the negotiations did run in the workers
  expect(alone.orders).toBe(0);
});
