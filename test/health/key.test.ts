import { checkKey, sameCheck } from '../../src/health/key';
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

test('sameCheck agrees with the key: a reload reuses the old key only for an unchanged check', () => {
  const base = specFor({ service: 'pop', login: 'a' });
  expect(sameCheck(base, { ...base })).toBe(true);
  for (const change of [
    { login: 'b' },
    { passwd: 'x' },
    { httpmethod: 'HEAD' as const },
    { checktimeout: 9 },
    { tlsVerify: false },
    { virtualhost: 'v' },
    { tlsCa: 'PEM' },
    { address: '127.0.0.2' },
    { port: 81 },
    { family: 'inet6' as const },
    { checktype: { kind: 'combined' as const, n: 2 } },
  ]) {
    const other = { ...base, ...change };
    expect(sameCheck(base, other)).toBe(false);
    expect(checkKey(other)).not.toBe(checkKey(base));
  }
  const combined = (n: number) => ({ ...base, checktype: { kind: 'combined' as const, n } });
  expect(sameCheck(combined(2), combined(2))).toBe(true);
  expect(sameCheck(combined(2), combined(3))).toBe(false);
  // Per-virtual fields: ignored unless the check is external, as in the key.
  const moved = { ...base, virtualAddress: '127.0.0.200', virtualPort: 8080 };
  expect(sameCheck(base, moved)).toBe(checkKey(base) === checkKey(moved));
  const ext = { ...base, checktype: { kind: 'external' as const } };
  expect(sameCheck(ext, { ...ext, virtualPort: 8080 })).toBe(false);
});
