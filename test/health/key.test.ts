import { checkKey } from '../../src/health/key';
import { specFor } from './spec-fixture';

test('every check parameter the reference forgets is in the key', () => {
  const base = specFor({ service: 'pop', login: 'a' });
  for (const change of [
    { login: 'b' },
    { passwd: 'x' },
    { database: 'd' },
    { secret: 's' },
    { httpmethod: 'HEAD' as const },
    { checktimeout: 9 },
    { negotiatetimeout: 9 },
    { checkcount: 3 },
    { tlsVerify: false },
    { virtualhost: 'v' },
    { request: '/x' },
    { receive: 'y' },
    { port: 81 },
    { protocol: 'udp' as const },
  ]) {
    expect(checkKey({ ...base, ...change })).not.toBe(checkKey(base));
  }
});

test('the same real in two virtual services shares one key (except for external checks)', () => {
  const a = specFor({ virtualAddress: '127.0.0.100', virtualPort: 80 });
  const b = specFor({ virtualAddress: '127.0.0.101', virtualPort: 8080, realPort: 80 });
  expect(checkKey(a)).toBe(checkKey(b));
  const ea = { ...a, checktype: { kind: 'external' as const }, checkcommand: '/bin/true' };
  const eb = { ...b, checktype: { kind: 'external' as const }, checkcommand: '/bin/true' };
  expect(checkKey(ea)).not.toBe(checkKey(eb));
});
