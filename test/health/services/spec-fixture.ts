// A CheckSpec with neutral defaults, for service-check tests: the health tests' specFor with timeouts that
// are generous (10 s) so a loaded machine does not turn a slow real daemon into a failure (the hostile tests
// set 1 s explicitly), TLS verification off, and the virtual's port equal to the checked one.
import type { CheckSpec } from '../../../src/health/types';
import { specFor } from '../spec-fixture';

export function makeSpec(over: Partial<CheckSpec> & Pick<CheckSpec, 'service' | 'port'>): CheckSpec {
  return specFor({
    family: over.address?.includes(':') ? 'inet6' : 'inet',
    realPort: over.port,
    virtualAddress: undefined,
    virtualPort: over.port,
    checkcommand: '/bin/true',
    checktimeout: 10,
    negotiatetimeout: 10,
    tlsVerify: false,
    ...over,
  });
}

/** A signal that never aborts (the check's own negotiatetimeout bounds it). */
export const never = new AbortController().signal;
