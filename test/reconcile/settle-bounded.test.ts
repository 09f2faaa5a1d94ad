// settleBounded: Promise.allSettled with a bound on the calls outstanding (src/reconcile/settle-bounded.ts).

import { settleBounded } from '../../src/reconcile/settle-bounded';

describe('settleBounded', () => {
  it('keeps at most `limit` calls outstanding and reports every outcome in input order', async () => {
    let outstanding = 0;
    let most = 0;
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const outcomes = await settleBounded(items, 7, async (i) => {
      outstanding += 1;
      most = Math.max(most, outstanding);
      // Answer in a scrambled order: later items sometimes settle first.
      for (let k = 0; k < (i * 7919) % 5; k++) await new Promise((r) => setImmediate(r));
      outstanding -= 1;
      if (i % 100 === 3) throw new Error(`refused ${i}`);
      return i * 2;
    });
    expect(most).toBe(7);
    expect(outcomes).toHaveLength(1000);
    outcomes.forEach((o, i) => {
      if (i % 100 === 3) expect(o).toEqual({ status: 'rejected', reason: new Error(`refused ${i}`) });
      else expect(o).toEqual({ status: 'fulfilled', value: i * 2 });
    });
  });

  it('handles an empty list and a limit above the list length', async () => {
    await expect(settleBounded([], 4, async () => 1)).resolves.toEqual([]);
    await expect(settleBounded([1, 2], 64, async (x) => x + 1)).resolves.toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'fulfilled', value: 3 },
    ]);
  });

  it('captures a synchronous throw as that item’s rejection', async () => {
    const outcomes = await settleBounded([1, 2, 3], 2, (x) => {
      if (x === 2) throw new Error('sync');
      return Promise.resolve(x);
    });
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
