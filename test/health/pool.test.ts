// The pool under a fake clock: exact counts of check runs, no sleeps, no real sockets.
import { createHealthPool } from '../../src/health/pool';
import { firstRoundWindow, initialOffset } from '../../src/health/schedule';
import { checkKey } from '../../src/health/key';
import type { Check, CheckResult, CheckSpec, PoolTarget, Transition } from '../../src/health/types';
import { createFakeClock, flushMicrotasks, type FakeClock } from '../support/fake-clock';
import { silentCheck } from './silent-check';
import { specFor } from './spec-fixture';

function target(id: string, spec: Partial<CheckSpec> = {}, extra: Partial<PoolTarget> = {}): PoolTarget {
  return { id, spec: specFor(spec), intervalMs: 1000, failurecount: 1, successcount: 1, ...extra };
}

/** A runCheck that records calls and answers from a per-address script (default ok). */
function recorder(answer: (spec: CheckSpec, n: number) => boolean = () => true) {
  const calls: { spec: CheckSpec; at: number }[] = [];
  let n = 0;
  const clockRef: { clock?: FakeClock } = {};
  const check: Check = async (spec) => {
    n += 1;
    calls.push({ spec, at: clockRef.clock?.now() ?? -1 });
    const ok = answer(spec, n);
    return { ok, reason: `${spec.address} ${ok ? 'fine' : 'broken'} #${n}`, durationMs: 0 };
  };
  return { calls, check, clockRef };
}

function setup(check: Check, opts: { concurrency?: number; inMaintenance?: (s: CheckSpec) => boolean } = {}) {
  const clock = createFakeClock();
  const pool = createHealthPool({ clock, runCheck: check, ...opts });
  const batches: Transition[][] = [];
  pool.onTransitions((b) => batches.push([...b]));
  return { clock, pool, batches };
}

test('new targets run within a short first round (0.5 ms each), then once per interval at their own spread slot', async () => {
  const rec = recorder();
  const { clock, pool } = setup(rec.check);
  rec.clockRef.clock = clock;
  const targets = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'].map((a) => target(`v|${a}:80`, { address: a }));
  pool.setTargets(targets);
  pool.start();
  await clock.advanceAndSettle(999);
  // Start-up: 4 new checks get a first round of 4 × 0.5 = 2 ms, so all four run at once, not over 1 s.
  expect(firstRoundWindow(1000, 4)).toBe(2);
  const firsts = targets.map((t) => initialOffset(`1000#${checkKey(t.spec)}`, 2));
  expect(rec.calls.map((c) => c.at).sort((a, b) => a - b)).toEqual([...firsts].sort((a, b) => a - b));
  expect(Math.max(...firsts)).toBeLessThan(2);
  const offsets = targets.map((t) => initialOffset(`1000#${checkKey(t.spec)}`, 1000));
  expect(new Set(offsets).size).toBe(4); // after that, no two at the same instant
  await clock.advanceAndSettle(4000); // now at 4999: each ran in the first round, then at 1000 + offset + k·1000
  for (const [i, t] of targets.entries()) {
    const at = rec.calls.filter((c) => c.spec.address === t.spec.address).map((c) => c.at);
    const offset = offsets[i] as number;
    expect(at).toEqual([firsts[i], ...[1, 2, 3, 4].map((k) => k * 1000 + offset).filter((x) => x <= 4999)]);
  }
  await pool.stop();
  expect(clock.pending()).toBe(0);
});

test('a target added after start is checked at once (a first round of one), and joins its spread slot from the next interval', async () => {
  const rec = recorder();
  const { clock, pool } = setup(rec.check);
  rec.clockRef.clock = clock;
  pool.setTargets([target('v|127.0.0.1:80', { address: '127.0.0.1' })]);
  pool.start();
  await clock.advanceAndSettle(250);
  const late = target('v|127.0.0.2:80', { address: '127.0.0.2' });
  pool.setTargets([target('v|127.0.0.1:80', { address: '127.0.0.1' }), late]);
  await clock.advanceAndSettle(2000);
  const offset = initialOffset(`1000#${checkKey(late.spec)}`, 1000);
  const at = rec.calls.filter((c) => c.spec.address === '127.0.0.2').map((c) => c.at);
  expect(at).toEqual([250, 1250 + offset, 2250 + offset].filter((x) => x <= 2250));
  await pool.stop();
});

test('identical checks in several virtual services run once and fan out to every target', async () => {
  const rec = recorder();
  const { clock, pool, batches } = setup(rec.check);
  pool.setTargets([
    target('tcp:127.0.0.100:80|127.0.0.5:80', { address: '127.0.0.5', virtualAddress: '127.0.0.100' }),
    target('tcp:127.0.0.101:80|127.0.0.5:80', { address: '127.0.0.5', virtualAddress: '127.0.0.101' }),
    target('tcp:127.0.0.102:80|127.0.0.5:80', { address: '127.0.0.5', virtualAddress: '127.0.0.102', login: 'other' }),
  ]);
  pool.start();
  await clock.advanceAndSettle(999);
  expect(rec.calls).toHaveLength(2); // the third differs in login, so it is its own check
  const ids = batches
    .flat()
    .map((t) => t.id)
    .sort();
  expect(ids).toEqual([
    'tcp:127.0.0.100:80|127.0.0.5:80',
    'tcp:127.0.0.101:80|127.0.0.5:80',
    'tcp:127.0.0.102:80|127.0.0.5:80',
  ]);
  expect(pool.isUp('tcp:127.0.0.101:80|127.0.0.5:80')).toBe(true);
  await pool.stop();
});

test('concurrency is bounded; queued checks start as others finish', async () => {
  const releases: (() => void)[] = [];
  let inFlight = 0;
  let peak = 0;
  let runs = 0;
  const check: Check = () =>
    new Promise<CheckResult>((resolve) => {
      inFlight += 1;
      runs += 1;
      peak = Math.max(peak, inFlight);
      releases.push(() => {
        inFlight -= 1;
        resolve({ ok: true, reason: 'ok', durationMs: 0 });
      });
    });
  const { clock, pool } = setup(check, { concurrency: 3 });
  pool.setTargets(
    Array.from({ length: 10 }, (_, i) => target(`v|127.0.0.${i + 1}:80`, { address: `127.0.0.${i + 1}` })),
  );
  pool.start();
  await clock.advanceAndSettle(999);
  expect(runs).toBe(3);
  expect(peak).toBe(3);
  releases.splice(0, 2).forEach((r) => r());
  await flushMicrotasks();
  expect(runs).toBe(5);
  while (releases.length > 0) {
    releases.splice(0).forEach((r) => r());
    await flushMicrotasks();
  }
  expect(runs).toBe(10);
  expect(peak).toBe(3);
  await pool.stop();
});

test('a check that does not finish is aborted at its timeout and reported down', async () => {
  let aborts = 0;
  const check: Check = (spec, signal) =>
    new Promise<CheckResult>((resolve) => {
      signal.addEventListener('abort', () => {
        aborts += 1;
        resolve({ ok: false, reason: `connect ${spec.address}: timed out`, durationMs: 0 });
      });
    });
  const { clock, pool, batches } = setup(check);
  pool.setTargets([
    target('v|127.0.0.9:80', { address: '127.0.0.9', checktype: { kind: 'connect' }, checktimeout: 3 }),
  ]);
  pool.start();
  await clock.advanceAndSettle(2999); // the first run starts at once (0) and times out at 3000
  expect(aborts).toBe(0);
  expect(pool.isUp('v|127.0.0.9:80')).toBeUndefined();
  await clock.advanceAndSettle(1);
  expect(aborts).toBe(1);
  expect(batches).toEqual([[{ id: 'v|127.0.0.9:80', up: false, reason: 'connect 127.0.0.9: timed out', at: 3000 }]]);
  await pool.stop();
});

test('a check that claims success after its deadline counts as a timeout', async () => {
  const check: Check = (_spec, signal) =>
    new Promise<CheckResult>((resolve) => {
      signal.addEventListener('abort', () => resolve({ ok: true, reason: 'too late', durationMs: 0 }));
    });
  const { clock, pool } = setup(check);
  pool.setTargets([target('v|127.0.0.9:80', { negotiatetimeout: 2 })]);
  pool.start();
  await clock.advanceAndSettle(3000);
  expect(pool.isUp('v|127.0.0.9:80')).toBe(false);
  expect(pool.lastResult('v|127.0.0.9:80')?.reason).toBe('http check of 127.0.0.1:80: timed out after 2 s');
  await pool.stop();
});

test('failurecount through the pool: down on the third consecutive failure, in its own batch', async () => {
  const rec = recorder((_s, n) => n === 1);
  const { clock, pool, batches } = setup(rec.check);
  pool.setTargets([target('v|a', {}, { failurecount: 3 })]);
  pool.start();
  await clock.advanceAndSettle(1000);
  expect(batches.map((b) => b.map((t) => t.up))).toEqual([[true]]);
  await clock.advanceAndSettle(2000);
  expect(rec.calls).toHaveLength(3);
  expect(pool.isUp('v|a')).toBe(true);
  await clock.advanceAndSettle(1000);
  expect(rec.calls).toHaveLength(4);
  expect(batches.map((b) => b.map((t) => `${t.up}:${t.reason}`))).toEqual([
    ['true:127.0.0.1 fine #1'],
    ['false:127.0.0.1 broken #4'],
  ]);
  await pool.stop();
});

test('a check that throws is a down result, not a crash', async () => {
  const { clock, pool } = setup(() => {
    throw new Error('boom');
  });
  pool.setTargets([target('v|a')]);
  pool.start();
  await clock.advanceAndSettle(1000);
  expect(pool.isUp('v|a')).toBe(false);
  expect(pool.lastResult('v|a')?.reason).toBe('http check of 127.0.0.1:80: check failed unexpectedly: boom');
  await pool.stop();
});

test('forced targets run no check and transition at once; maintenance forces down before the check', async () => {
  const rec = recorder();
  let maintenance = true;
  const { clock, pool, batches } = setup(rec.check, { inMaintenance: (s) => maintenance && s.address === '127.0.0.2' });
  pool.setTargets([
    target('on', { checktype: { kind: 'on' } }, { forced: 'up' }),
    target('off', { checktype: { kind: 'off' } }, { forced: 'down' }),
    target('maint', { address: '127.0.0.2' }, { successcount: 2 }),
  ]);
  pool.start();
  await flushMicrotasks();
  expect(batches).toEqual([
    [
      { id: 'on', up: true, reason: 'forced up (on)', at: 0 },
      { id: 'off', up: false, reason: 'forced down (off)', at: 0 },
    ],
  ]);
  await clock.advanceAndSettle(1000);
  expect(rec.calls).toHaveLength(0);
  expect(batches[1]?.map((t) => `${t.id}:${t.up}:${t.reason}`)).toEqual(['maint:false:Server in maintenance']);
  maintenance = false;
  await clock.advanceAndSettle(2000); // successcount 2: two good checks bring it back
  expect(rec.calls).toHaveLength(2);
  expect(pool.isUp('maint')).toBe(true);
  await pool.stop();
});

test('combined checktype 2: negotiate, connect, connect, negotiate; a failed connect goes back to negotiate', async () => {
  const kinds: string[] = [];
  const check: Check = async (spec) => {
    kinds.push(spec.checktype.kind);
    const ok = kinds.length !== 5; // the 5th run (a connect) fails
    return { ok, reason: ok ? 'ok' : 'refused', durationMs: 0 };
  };
  const { clock, pool } = setup(check);
  pool.setTargets([target('v|a', { checktype: { kind: 'combined', n: 2 } })]);
  pool.start();
  await clock.advanceAndSettle(7000);
  // 5th run (a connect) fails → 6th is a negotiate, which succeeds → the 7th is a connect again.
  expect(kinds).toEqual(['negotiate', 'connect', 'connect', 'negotiate', 'connect', 'negotiate', 'connect']);
  await pool.stop();
});

test('setTargets keeps the state of unchanged checks, resets changed ones, aborts removed ones', async () => {
  let aborted = 0;
  const check: Check = (spec, signal) =>
    spec.address === '127.0.0.3'
      ? new Promise<CheckResult>((resolve) =>
          signal.addEventListener('abort', () => {
            aborted += 1;
            resolve({ ok: false, reason: 'x', durationMs: 0 });
          }),
        )
      : Promise.resolve({ ok: true, reason: 'ok', durationMs: 0 });
  const { clock, pool } = setup(check);
  const a = target('a', { address: '127.0.0.1' });
  const b = target('b', { address: '127.0.0.2' });
  const c = target('c', { address: '127.0.0.3', negotiatetimeout: 30 });
  pool.setTargets([a, b, c]);
  pool.start();
  await clock.advanceAndSettle(1000);
  expect([pool.isUp('a'), pool.isUp('b')]).toEqual([true, true]);
  pool.setTargets([a, { ...b, spec: { ...b.spec, request: '/other' } }]);
  await flushMicrotasks();
  expect(aborted).toBe(1);
  expect(pool.isUp('a')).toBe(true);
  expect(pool.isUp('b')).toBeUndefined();
  expect(pool.isUp('c')).toBeUndefined();
  await pool.stop();
});

test('stop aborts running checks, waits for them, is safe twice, and leaves no timer', async () => {
  let settled = 0;
  const check: Check = (_s, signal) =>
    new Promise<CheckResult>((resolve) => {
      signal.addEventListener('abort', () => {
        settled += 1;
        resolve({ ok: false, reason: 'aborted', durationMs: 0 });
      });
    });
  const { clock, pool, batches } = setup(check);
  pool.setTargets([target('a', { address: '127.0.0.1' }), target('b', { address: '127.0.0.2' })]);
  pool.start();
  await clock.advanceAndSettle(1000);
  await pool.stop();
  await pool.stop();
  expect(settled).toBe(2);
  expect(clock.pending()).toBe(0);
  expect(batches).toEqual([]);
});

test('observers that throw (onCheck, onNote, inMaintenance, a listener) do not stop checking', async () => {
  const rec = recorder((_s, n) => n !== 2);
  const clock = createFakeClock();
  const boom = (): never => {
    throw new Error('observer bug');
  };
  const pool = createHealthPool({ clock, runCheck: rec.check, onCheck: boom, onNote: boom, inMaintenance: boom });
  pool.onTransitions(boom);
  const batches: Transition[][] = [];
  pool.onTransitions((b) => batches.push([...b]));
  pool.setTargets([target('v|a', {}, { failurecount: 2 })]);
  pool.start();
  await clock.advanceAndSettle(3000);
  expect(rec.calls).toHaveLength(3);
  expect(batches.flat().map((t) => t.up)).toEqual([true]);
  expect(pool.isUp('v|a')).toBe(true);
  await pool.stop();
});

/** A fake clock that counts the timers armed on it (each is a wakeup of the real event loop). */
function countingClock() {
  const clock = createFakeClock();
  let armed = 0;
  return {
    clock: {
      ...clock,
      setTimeout: (fn: () => void, ms: number) => {
        armed += 1;
        return clock.setTimeout(fn, ms);
      },
    } as FakeClock,
    armed: () => armed,
  };
}

test("a finished check's deadline costs no wakeup: one timer per run, the deadline rides on the pool's timer", async () => {
  const rec = recorder();
  const { clock, armed } = countingClock();
  rec.clockRef.clock = clock;
  const pool = createHealthPool({ clock, runCheck: rec.check });
  pool.setTargets(['127.0.0.1', '127.0.0.2'].map((a) => target(`v|${a}:80`, { address: a, negotiatetimeout: 5 })));
  pool.start();
  await clock.advanceAndSettle(999);
  const [runs0, armed0] = [rec.calls.length, armed()];
  await clock.advanceAndSettle(10_000);
  expect(rec.calls.length - runs0).toBe(20);
  expect(armed() - armed0).toBe(20); // a timer per check for its deadline would make it 40
  await pool.stop();
});

test('wakeup coalescing: a tick also starts the checks due within coalesceMs, and each keeps its own schedule', async () => {
  const spread = (coalesceMs: number) => {
    const { clock, armed } = countingClock();
    const r = recorder();
    r.clockRef.clock = clock;
    const pool = createHealthPool({ clock, runCheck: r.check, coalesceMs, coalesceMax: 1000 });
    const targets = Array.from({ length: 50 }, (_, i) => target(`v|127.0.1.${i}:80`, { address: `127.0.1.${i}` }));
    pool.setTargets(targets);
    pool.start();
    return { clock, armed, pool, targets, calls: r.calls };
  };
  const exact = spread(0);
  const coalesced = spread(100);
  for (const s of [exact, coalesced]) await s.clock.advanceAndSettle(999); // past the first round
  const base = [exact.armed(), coalesced.armed()];
  const from = [exact.calls.length, coalesced.calls.length];
  for (const s of [exact, coalesced]) await s.clock.advanceAndSettle(5000);
  // The same checks ran (5 rounds of 50; coalesced, a few of the next round up to 100 ms early) …
  expect(exact.calls.length - (from[0] as number)).toBe(250);
  expect(coalesced.calls.length - (from[1] as number)).toBeGreaterThanOrEqual(250);
  expect(coalesced.calls.length - (from[1] as number)).toBeLessThan(260);
  // … on far fewer wakeups: at most one per 100 ms, against about one per check.
  expect(exact.armed() - (base[0] as number)).toBeGreaterThan(200);
  expect(coalesced.armed() - (base[1] as number)).toBeLessThanOrEqual(50);
  // Each run is at its slot or at most 100 ms before it, never after, and never drifts.
  for (const t of coalesced.targets) {
    const slot = initialOffset(`1000#${checkKey(t.spec)}`, 1000);
    const at = coalesced.calls.filter((c) => c.spec.address === t.spec.address && c.at >= 900).map((c) => c.at);
    const dues = [1, 2, 3, 4, 5, 6].map((k) => 1000 * k + slot).filter((due) => due - 100 <= 5999);
    expect(at.length).toBeGreaterThanOrEqual(dues.filter((due) => due <= 5999).length);
    expect(at.length).toBeLessThanOrEqual(dues.length);
    at.forEach((a, k) => {
      const due = 1000 * (k + 1) + slot;
      expect(a).toBeLessThanOrEqual(due);
      expect(a).toBeGreaterThanOrEqual(due - 100);
    });
  }
  for (const s of [exact, coalesced]) await s.pool.stop();
  // Stopped means stopped: no timer left, and no check runs however long the clock goes on.
  const stoppedAt = [exact.calls.length, coalesced.calls.length];
  for (const s of [exact, coalesced]) await s.clock.advanceAndSettle(5000);
  expect([exact.calls.length, coalesced.calls.length]).toEqual(stoppedAt);
  expect([exact.clock.pending(), coalesced.clock.pending()]).toEqual([0, 0]);
});

test('wakeup coalescing starts at most coalesceMax checks ahead of time per tick', async () => {
  const rec = recorder();
  const clock = createFakeClock();
  rec.clockRef.clock = clock;
  const pool = createHealthPool({ clock, runCheck: rec.check, coalesceMs: 1000, coalesceMax: 3 });
  pool.setTargets(Array.from({ length: 20 }, (_, i) => target(`v|127.0.2.${i}:80`, { address: `127.0.2.${i}` })));
  pool.start();
  await clock.advanceAndSettle(999); // first round (20 × 0.5 = 10 ms window)
  rec.calls.length = 0;
  await clock.advanceAndSettle(1000); // the second round: each tick takes its due check and 3 early ones
  const byTime = new Map<number, number>();
  for (const c of rec.calls) byTime.set(c.at, (byTime.get(c.at) ?? 0) + 1);
  expect(rec.calls).toHaveLength(20);
  expect(Math.max(...byTime.values())).toBeLessThanOrEqual(4);
  expect(byTime.size).toBeGreaterThanOrEqual(5);
  await pool.stop();
});

test('a convoy starts at most `burst` checks per turn; the rest follow on the next turns, none lost', async () => {
  const blackhole = silentCheck('aborted');
  const base = createFakeClock();
  const perFire: number[] = [];
  // Records, at each timer the pool's clock fires, how many checks had started before it.
  const clock: FakeClock = {
    ...base,
    setTimeout: (fn, ms) =>
      base.setTimeout(() => {
        perFire.push(blackhole.runs());
        fn();
      }, ms),
  };
  const pool = createHealthPool({ clock, runCheck: blackhole.check, burst: 10, coalesceMs: 1000, coalesceMax: 1000 });
  pool.setTargets(
    Array.from({ length: 100 }, (_, i) => target(`v|127.0.1.${i + 1}:80`, { address: `127.0.1.${i + 1}` })),
  );
  pool.start();
  await base.advanceAndSettle(100);
  expect(blackhole.runs()).toBe(100);
  const steps = perFire.map((n, i) => (perFire[i + 1] ?? blackhole.runs()) - n);
  expect(Math.max(...steps)).toBe(10);
  await pool.stop();
});

test('checks that wait on silent servers stop counting against the adaptive bound after busyMs', async () => {
  const silent = silentCheck();
  const clock = createFakeClock();
  let lag = 150; // one lagging window halves the bound to 50; after that the loop keeps up
  const pool = createHealthPool({
    clock,
    runCheck: silent.check,
    concurrency: 100,
    busyMs: 1000,
    lagMs: () => {
      const l = lag;
      lag = 0;
      return l;
    },
    admission: { step: 1, windowMs: 100 },
  });
  clock.advance(200); // an admission window has passed when the first checks are due: the lag sample is taken
  pool.setTargets(
    Array.from({ length: 100 }, (_, i) => target(`v|127.0.2.${i + 1}:80`, { address: `127.0.2.${i + 1}` })),
  );
  pool.start();
  await clock.advanceAndSettle(500);
  expect(silent.runs()).toBeLessThanOrEqual(60); // the bound: 50, growing by one a window (100 ms)
  // At 1.3 s the first fifty have waited 1 s on servers that never answer: they no longer hold busy slots,
  // so the other fifty start long before the first timeouts (5 s) free slots; a step a window would need 5 s.
  await clock.advanceAndSettle(1000);
  expect(silent.runs()).toBe(100);
  await pool.stop();
});

test('a loop that lags while every burst is full still lowers the adaptive bound (continuations are sampled)', async () => {
  // Every timer fires 150 ms after it was due: an event loop that is 150 ms behind (over highLagMs, 100 ms).
  // 600 checks are due at once and START_BURST-style bursts of 10 never drain them, so every tick is a
  // continuation of a full burst. Before continuations were sampled the bound never moved and all 600 started.
  const silent = silentCheck();
  const base = createFakeClock();
  const clock: FakeClock = { ...base, setTimeout: (fn, ms) => base.setTimeout(fn, ms + 150) };
  const pool = createHealthPool({
    clock,
    runCheck: silent.check,
    adaptive: true,
    burst: 10,
    concurrency: 1024,
    admission: { windowMs: 250 },
  });
  pool.setTargets(
    Array.from({ length: 600 }, (_, i) =>
      target(`v|127.3.${i >> 8}.${i & 255}:80`, { address: `127.3.${i >> 8}.${i & 255}`, negotiatetimeout: 30 }),
    ),
  );
  pool.start();
  await base.advanceAndSettle(5000);
  // Halved every window from 1,024 to the floor (16) within ~2 s, 10 checks a 150 ms turn meanwhile.
  expect(silent.runs()).toBeGreaterThanOrEqual(16);
  expect(silent.runs()).toBeLessThan(200);
  await pool.stop();
});
