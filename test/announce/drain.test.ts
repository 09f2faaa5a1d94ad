// The drain hold (src/announce/drain.ts) on its own: when a hold starts, how long it lasts, what ends it.
import { createDrain } from '../../src/announce/drain';
import { createFakeClock } from '../support/fake-clock';

function setup(drainMs: number, emptying: (vid: string) => boolean) {
  const clock = createFakeClock();
  const expired: string[] = [];
  const drain = createDrain({
    drainMs: () => drainMs,
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (h) => clock.clearTimeout(h),
    emptying,
    expired: (vid) => expired.push(vid),
  });
  return { clock, drain, expired };
}

describe('drain hold', () => {
  it('holds an emptying service for drainMs once, asks for a pass at the end, and holds again after serving', () => {
    const { clock, drain, expired } = setup(2000, (vid) => vid === 'a');
    expect(drain.holding('b')).toBe(false); // not emptying (not announced, or a real still up)
    expect(drain.holding('a')).toBe(true);
    clock.advance(1999);
    expect([drain.holding('a'), expired]).toEqual([true, []]);
    expect(drain.active()).toEqual(['a']);
    clock.advance(1);
    expect([drain.holding('a'), expired]).toEqual([false, ['a']]);
    expect(drain.active()).toEqual([]);
    clock.advance(10_000);
    expect([drain.holding('a'), expired]).toEqual([false, ['a']]); // over until it serves again
    drain.serving('a');
    expect(drain.holding('a')).toBe(true);
  });

  it('never holds with drainMs 0; serving and stop cancel the pending end', () => {
    expect(setup(0, () => true).drain.holding('a')).toBe(false);
    const { clock, drain, expired } = setup(1000, () => true);
    expect(drain.holding('a')).toBe(true);
    expect(drain.holding('b')).toBe(true);
    drain.serving('a');
    drain.stop();
    clock.advance(5000);
    expect(expired).toEqual([]);
  });
});
