// A complete CheckSpec, and a pool target checking it, with test defaults; tests override what they are about.
import type { CheckSpec, PoolTarget } from '../../src/health/types';

/** The request, expected answer and credentials a check spec and a virtual both carry, as the tests default them. */
export const CHECK_TEXT: Pick<
  CheckSpec,
  'request' | 'receive' | 'httpmethod' | 'login' | 'passwd' | 'database' | 'secret'
> = {
  request: '/',
  receive: '',
  httpmethod: 'GET',
  login: '',
  passwd: '',
  database: '',
  secret: '',
};

export function specFor(overrides: Partial<CheckSpec> = {}): CheckSpec {
  return {
    checktype: { kind: 'negotiate' },
    service: 'http',
    protocol: 'tcp',
    family: 'inet',
    address: '127.0.0.1',
    port: 80,
    realPort: 80,
    virtualAddress: '127.0.0.100',
    virtualPort: 80,
    ...CHECK_TEXT,
    checkcommand: '',
    checktimeout: 5,
    negotiatetimeout: 5,
    checkcount: 1,
    tlsVerify: true,
    ...overrides,
  };
}

/** A pool target `id` checking `address` every second, one failure or success flipping it. */
export function targetFor(id: string, address: string, extra: Partial<PoolTarget> = {}): PoolTarget {
  return { id, spec: specFor({ address }), intervalMs: 1000, failurecount: 1, successcount: 1, ...extra };
}
