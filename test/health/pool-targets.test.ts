// The pool's targets and check groups (src/health/pool-targets.ts): a list that changes targets in place is
// applied to the changed entries only, and gives the same table as the full diff; anything else is diffed.
import { createPoolTargets } from '../../src/health/pool-targets';
import { UNKNOWN } from '../../src/health/state';
import { diffTargets } from '../../src/health/target-diff';
import type { PoolTarget } from '../../src/health/types';
import { targetFor } from './spec-fixture';

const t = targetFor;

describe('pool targets', () => {
  const a = t('a', '127.0.0.1');
  const b = t('b', '127.0.0.2');
  const c = t('c', '127.0.0.3');

  test('a target changed in place (same id, same check) keeps its group object, ids and health state', () => {
    const book = createPoolTargets();
    expect(book.apply([a, b, c]).made.map(([, g]) => g.ids)).toEqual([['a'], ['b'], ['c']]);
    const groupB = book.groups.get(book.entries().get('b')!.groupKey)!;
    const idsB = groupB.ids;
    const up = { ...UNKNOWN, up: true };
    book.entries().get('b')!.state = up;
    const b2 = { ...b, failurecount: 1 }; // a new object, nothing else changed
    const b3 = { ...b, spec: { ...b.spec } };
    expect(book.apply([a, b2, c])).toEqual({ forced: [], made: [] });
    expect(book.apply([a, b3, c])).toEqual({ forced: [], made: [] });
    expect(book.entries().get('b')?.target).toBe(b3);
    expect(book.entries().get('b')?.state).toBe(up);
    expect(book.groups.get(book.entries().get('b')!.groupKey)).toBe(groupB);
    expect(groupB.ids).toBe(idsB);
  });

  test('in place or diffed, the same table as a full diff from the same start', () => {
    const lists: PoolTarget[][] = [
      [a, b, c],
      [a, { ...b, failurecount: 3 }, c], // thresholds: state reset, same group
      [a, t('b', '127.0.0.9'), c], // another check: another group
      [a, t('b', '127.0.0.9'), c, t('d', '127.0.0.4', { forced: 'up' })], // a new forced target
      [a, t('b', '127.0.0.9'), c, t('d', '127.0.0.4', { forced: 'down' })],
      [a, a, c], // an id twice
      [a, { ...a }, c],
      [c, a], // reordered, one gone
    ];
    const byKey = (pairs: [string, string[]][]): [string, string[]][] =>
      pairs.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    for (let n = 1; n < lists.length; n += 1) {
      const applied = createPoolTargets();
      const reference = createPoolTargets();
      for (const book of [applied, reference]) {
        for (const list of lists.slice(0, n)) book.apply(list);
        book.entries().forEach((e) => (e.state = { ...UNKNOWN, up: true }));
      }
      const last = lists[n]!;
      const diff = diffTargets(reference.entries(), last);
      expect(applied.apply(last).forced).toEqual(diff.forced);
      expect([...applied.entries()].map(([id, e]) => [id, e.groupKey, e.state, e.target])).toEqual(
        [...diff.entries].map(([id, e]) => [id, e.groupKey, e.state, e.target]),
      );
      expect(byKey([...applied.groups].map(([gk, g]) => [gk, g.ids]))).toEqual(
        byKey([...diff.wanted].map(([gk, g]) => [gk, g.ids])),
      );
    }
  });
});
