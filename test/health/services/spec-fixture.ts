// A CheckSpec with neutral defaults, for service-check tests. Timeouts are generous (10 s) so a loaded
// machine does not turn a slow real daemon into a failure; the hostile tests set 1 s explicitly.
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
    checktimeout: 10,
    negotiatetimeout: 10,
    checkcount: 1,
    tlsVerify: false,
    ...over,
  };
}

/** A signal that never aborts (the check's own negotiatetimeout bounds it). */
export const never = new AbortController().signal;
