// The wording of the health steps that are not transitions (docs/compat.md, successcount).
import { healthNoteLine } from '../../../src/observe/log/health-notes';
import { configFrom } from '../../daemon/support/virtuals';

describe('health note lines', () => {
  it('name the real server and the vid in the reference style', async () => {
    const c = await configFrom('virtual6=[2001:db8::1]:80\n\treal6=[2001:db8::2]:8080 masq\n\tchecktype=connect\n');
    const v = c.virtuals[0]!;
    const t = { virtual: v, real: v.reals[0]! };
    const who = '[2001:db8::2]:8080 (tcp:[2001:db8::1]:80)';
    expect([
      healthNoteLine({ kind: 'soft-failure', count: 1, of: 3, reason: 'refused' }, t, 'x'),
      healthNoteLine({ kind: 'failures-reset', reason: 'connected' }, t, 'x'),
      healthNoteLine({ kind: 'soft-success', count: 2, of: 3, reason: 'connected' }, t, 'x'),
      healthNoteLine({ kind: 'successes-reset', reason: 'timed out' }, t, 'x'),
      healthNoteLine({ kind: 'soft-success', count: 1, of: 2, reason: 'ok' }, undefined, 'tcp:10.0.0.1:80|10.0.0.2:80'),
    ]).toEqual([
      `Soft failure real server: ${who} failure 1/3: refused`,
      `Resetting soft failure count: ${who}`,
      `Soft success real server: ${who} success 2/3`,
      `Resetting soft success count: ${who}: timed out`,
      'Soft success real server: tcp:10.0.0.1:80|10.0.0.2:80 success 1/2',
    ]);
  });
});
