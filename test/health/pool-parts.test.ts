// The pool's concepts one by one: the FIFO, the deadlines, the admission gate, the target diff and the
// transition batch (pool.test.ts tests them composed).
import { DEFAULT_ADMISSION } from '../../src/health/admission';
import { createAdmissionGate } from '../../src/health/admission-gate';
import { Deadlines } from '../../src/health/deadlines';
import { Fifo } from '../../src/health/fifo';
import { checkKey } from '../../src/health/key';
import { UNKNOWN } from '../../src/health/state';
import { diffGroups, diffTargets, groupKeyOf, type TargetEntry } from '../../src/health/target-diff';
import { createTransitionBatch } from '../../src/health/transition-batch';
import type { Transition } from '../../src/health/types';
import { flushMicrotasks } from '../support/fake-clock';
import { targetFor } from './spec-fixture';

test('fifo: first in, first out, across the compaction of a long consumed front', () => {
  const q = new Fifo<number>();
  for (let i = 0; i < 3000; i += 1) q.push(i);
  const out: number[] = [];
  for (let i = 0; i < 2000; i += 1) out.push(q.shift() as number);
  q.push(3000);
  expect(q.size).toBe(1001);
  expect(q.peek()).toBe(2000);
  while (q.size > 0) out.push(q.shift() as number);
  expect(out).toEqual(Array.from({ length: 3001 }, (_, i) => i));
  expect(q.shift()).toBeUndefined();
});

test('deadlines: fire aborts the due ones only; settled entries are skipped by next() and never fired', () => {
  const d = new Deadlines();
  const mk = () => ({ controller: new AbortController(), settled: false });
  const [a, b, c] = [mk(), mk(), mk()];
  d.add(100, a);
  d.add(200, b);
  d.add(300, c);
  a.settled = true;
  expect(d.next()).toBe(200);
  d.fire(250);
  expect([a, b, c].map((x) => x.controller.signal.aborted)).toEqual([false, true, false]);
  expect(d.next()).toBe(300);
  d.clear();
  expect(d.next()).toBe(Infinity);
});

describe('admission gate', () => {
  const policy = { ...DEFAULT_ADMISSION, max: 10, floor: 2, step: 2, windowMs: 100, highLagMs: 100, lowLagMs: 25 };

  test('not adaptive: only the concurrency bounds', () => {
    const g = createAdmissionGate({ policy, adaptive: false, busyMs: 1000, now: 0 });
    g.late(500);
    expect(g.open(1000, 9)).toBe(true);
    expect(g.open(1000, 10)).toBe(false);
  });

  test('lag halves the bound on busy checks; once the loop keeps up, a check running longer than busyMs no longer counts', () => {
    const g = createAdmissionGate({ policy, adaptive: true, busyMs: 1000, now: 0 });
    g.late(150);
    expect(g.open(100, 0)).toBe(true);
    expect(g.limit).toBe(5);
    for (let i = 0; i < 5; i += 1) g.started(100);
    expect(g.open(150, 5)).toBe(false); // 5 busy of 5
    expect(g.reopensAt(5)).toBe(200); // lagging: nothing ages; wake for the next window's sample
    g.late(150);
    expect(g.open(1100, 5)).toBe(false); // still lagging: a slow check may be starved, not waiting
    g.late(5);
    expect(g.open(1200, 5)).toBe(true); // the loop keeps up: the five started at 100 wait on the network
    expect(g.limit).toBe(4); // 5 → 2 (floor) → grown by a step
    expect(g.open(1100, 10)).toBe(false); // the concurrency still counts them
  });

  test('an ended check frees its busy slot at once; a window without a sample keeps the bound', () => {
    const g = createAdmissionGate({ policy, adaptive: true, busyMs: 1000, now: 0 });
    g.late(150);
    g.open(100, 0);
    const tickets = Array.from({ length: 5 }, () => g.started(100));
    expect(g.open(150, 5)).toBe(false);
    g.ended(tickets[0]!);
    g.ended(tickets[0]!); // twice is once
    expect(g.open(250, 4)).toBe(true);
    expect(g.limit).toBe(5); // no late() since the last window: unchanged
  });
});

describe('target diff', () => {
  const t = targetFor;

  test('state is kept for an unchanged target and reset when its check or thresholds change; forced targets join no group', () => {
    const a = t('a', '127.0.0.1');
    const b = t('b', '127.0.0.2');
    const upState = { ...UNKNOWN, up: true };
    const old = new Map<string, TargetEntry>([
      ['a', { target: a, key: checkKey(a.spec), groupKey: groupKeyOf(checkKey(a.spec), 1000), state: upState }],
      ['b', { target: b, key: checkKey(b.spec), groupKey: groupKeyOf(checkKey(b.spec), 1000), state: upState }],
    ]);
    const diff = diffTargets(old, [
      a,
      { ...b, failurecount: 3 },
      t('c', '127.0.0.1'),
      t('d', '127.0.0.4', { forced: 'up' }),
    ]);
    expect(diff.entries.get('a')?.state).toBe(upState);
    expect(diff.entries.get('b')?.state).toBe(UNKNOWN);
    expect(diff.forced).toEqual([{ id: 'd', up: true, reason: 'forced up (negotiate)' }]);
    // a and c share one check: one group serves both.
    expect([...diff.wanted.entries()].map(([gk, g]) => [gk, g.ids])).toEqual([
      [groupKeyOf(checkKey(a.spec), 1000), ['a', 'c']],
      [groupKeyOf(checkKey(b.spec), 1000), ['b']],
    ]);
  });

  test('the very same target keeps its very entry (state, last result, group key)', () => {
    const a = t('a', '127.0.0.1');
    const entry: TargetEntry = {
      target: a,
      key: 'stale key of a',
      groupKey: 'stale group of a',
      state: { ...UNKNOWN, up: true },
      last: { ok: true, reason: 'ok', durationMs: 1 },
    };
    const diff = diffTargets(new Map([['a', entry]]), [a, { ...a, id: 'b' }]);
    expect(diff.entries.get('a')).toBe(entry);
    expect([...diff.wanted.entries()].map(([gk, g]) => [gk, g.ids])).toEqual([
      ['stale group of a', ['a']],
      [groupKeyOf(checkKey(a.spec), 1000), ['b']],
    ]);
  });

  test('groups: gone and fresh', () => {
    const diff = diffTargets(new Map(), [t('a', '127.0.0.1'), t('b', '127.0.0.2')]);
    const [ga, gb] = [...diff.wanted.keys()];
    expect(diffGroups([ga!, 'old'], diff.wanted)).toEqual({ gone: ['old'], fresh: [gb] });
  });
});

test('transition batch: every transition of one turn reaches each listener in one batch; a throwing listener is isolated', async () => {
  const batch = createTransitionBatch();
  const seen: Transition[][] = [];
  batch.subscribe(() => {
    throw new Error('bug');
  });
  batch.subscribe((b) => seen.push([...b]));
  const tr = (id: string): Transition => ({ id, up: true, reason: 'ok', at: 0 });
  batch.push(tr('a'));
  batch.push(tr('b'));
  expect(seen).toEqual([]);
  await flushMicrotasks();
  batch.push(tr('c'));
  await flushMicrotasks();
  expect(seen.map((b) => b.map((x) => x.id))).toEqual([['a', 'b'], ['c']]);
});
