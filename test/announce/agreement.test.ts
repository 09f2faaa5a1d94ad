import { AGREED, agrees, nextAgreement, type TableEvent } from '../../src/announce/agreement';

const run = (events: readonly TableEvent[]) => events.reduce(nextAgreement, AGREED);

describe('table agreement', () => {
  it('agrees at start', () => {
    expect(agrees(AGREED, 'tcp|10.0.0.1|80')).toBe(true);
  });

  it('puts the service of a refused operation in doubt, and only it', () => {
    const a = run([
      { type: 'op-failed', serviceId: 'A' },
      { type: 'pass', full: false, failed: 1 },
    ]);
    expect([agrees(a, 'A'), agrees(a, 'B')]).toEqual([false, true]);
  });

  it('puts every service in doubt when a read fails', () => {
    const a = run([{ type: 'read-failed' }]);
    expect([agrees(a, 'A'), agrees(a, 'B')]).toEqual([false, false]);
  });

  it('a clean transition pass settles nothing; a clean full pass settles everything', () => {
    const failed: TableEvent[] = [{ type: 'op-failed', serviceId: 'A' }, { type: 'read-failed' }];
    expect(agrees(run([...failed, { type: 'pass', full: false, failed: 0 }]), 'A')).toBe(false);
    expect(agrees(run([...failed, { type: 'pass', full: true, failed: 1 }]), 'A')).toBe(false);
    expect(agrees(run([...failed, { type: 'pass', full: true, failed: 0 }]), 'A')).toBe(true);
    expect(agrees(run([...failed, { type: 'pass', full: true, failed: 0 }]), 'B')).toBe(true);
  });
});
