import { exabgpStep } from '../../src/announce/exabgp';

describe('exabgpStep', () => {
  it('withdraws what is no longer wanted before announcing what is new, each in prefix order', () => {
    const step = exabgpStep(
      new Set(['10.0.0.1/32', '10.0.0.3/32']),
      ['2001:db8::1/128', '10.0.0.3/32', '10.0.0.2/32'],
      'self',
    );
    expect(step.lines).toEqual([
      'withdraw route 10.0.0.1/32 next-hop self',
      'announce route 10.0.0.2/32 next-hop self',
      'announce route 2001:db8::1/128 next-hop self',
    ]);
    expect([...step.announced].sort()).toEqual(['10.0.0.2/32', '10.0.0.3/32', '2001:db8::1/128']);
  });

  it('says nothing when nothing changes, and withdraws all on an empty want', () => {
    const now = new Set(['10.0.0.1/32']);
    expect(exabgpStep(now, ['10.0.0.1/32'], '192.0.2.1').lines).toEqual([]);
    expect(exabgpStep(now, [], '192.0.2.1').lines).toEqual(['withdraw route 10.0.0.1/32 next-hop 192.0.2.1']);
  });
});
