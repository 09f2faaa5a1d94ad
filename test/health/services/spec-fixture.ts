// A CheckSpec with neutral defaults, for service-check tests.
import type { CheckSpec } from '../../../src/health/types';

export function makeSpec(over: Partial<CheckSpec> & Pick<CheckSpec, 'service' | 'port'>): CheckSpec {
  return {
    checktype: { kind: 'negotiate' },
    protocol: 'tcp',
    family: over.address?.includes(':') ? 'inet6' : 'inet',
    address: '127.0.0.1',
    realPort: over.port,
    virtualPort: over.port,
    request: '/',
    receive: '',
    httpmethod: 'GET',
    login: '',
    passwd: '',
    database: '',
    secret: '',
    checkcommand: '/bin/true',
    checktimeout: 5,
    negotiatetimeout: 5,
    checkcount: 1,
    tlsVerify: false,
    ...over,
  };
}

/** A signal that never aborts (the check's own negotiatetimeout bounds it). */
export const never = new AbortController().signal;
