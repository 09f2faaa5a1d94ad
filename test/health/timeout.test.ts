import { timeoutMs } from '../../src/health/timeout';
import { specFor } from './spec-fixture';

test.each([
  ['negotiate http → negotiatetimeout', specFor({ checktimeout: 3, negotiatetimeout: 20 }), 20000],
  [
    'combined → negotiatetimeout (the pool rewrites the connect phase to connect)',
    specFor({ checktype: { kind: 'combined', n: 2 }, checktimeout: 3, negotiatetimeout: 20 }),
    20000,
  ],
  [
    'negotiate ldap → checktimeout (reference alarm)',
    specFor({ service: 'ldap', checktimeout: 3, negotiatetimeout: 20 }),
    3000,
  ],
  [
    'negotiate radius → checktimeout (reference alarm)',
    specFor({ service: 'radius', checktimeout: 3, negotiatetimeout: 20 }),
    3000,
  ],
  ['connect tcp → checktimeout', specFor({ checktype: { kind: 'connect' }, checktimeout: 3, checkcount: 4 }), 3000],
  [
    'connect udp (a ping) → checkcount × checktimeout',
    specFor({ checktype: { kind: 'connect' }, protocol: 'udp', checktimeout: 3, checkcount: 4 }),
    12000,
  ],
  ['ping → checkcount × checktimeout', specFor({ checktype: { kind: 'ping' }, checktimeout: 2, checkcount: 3 }), 6000],
  [
    'external → checktimeout',
    specFor({ checktype: { kind: 'external' }, checktimeout: 7, negotiatetimeout: 30 }),
    7000,
  ],
])('%s', (_name, spec, expected) => {
  expect(timeoutMs(spec)).toBe(expected);
});
