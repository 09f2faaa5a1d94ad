// A complete CheckSpec with test defaults; tests override what they are about.
import type { CheckSpec } from '../../src/health/types';

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
    request: '/',
    receive: '',
    httpmethod: 'GET',
    login: '',
    passwd: '',
    database: '',
    secret: '',
    checkcommand: '',
    checktimeout: 5,
    negotiatetimeout: 5,
    checkcount: 1,
    tlsVerify: true,
    ...overrides,
  };
}
