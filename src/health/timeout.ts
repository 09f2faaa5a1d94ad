// Which timeout bounds a check (docs/behaviour.md §2.8, §3.1, §3.2): negotiate checks get negotiatetimeout, except
// ldap/ldaps/radius, whose whole check the reference bounds with a checktimeout alarm; everything else
// checktimeout; a ping check makes up to checkcount attempts of checktimeout each.
import type { ServiceName } from '../model/config';
import type { CheckSpec } from './types';

const ALARMED_BY_CHECKTIMEOUT: ReadonlySet<ServiceName> = new Set(['ldap', 'ldaps', 'radius']);

export function timeoutMs(spec: CheckSpec): number {
  switch (spec.checktype.kind) {
    case 'negotiate':
    case 'combined':
      return (ALARMED_BY_CHECKTIMEOUT.has(spec.service) ? spec.checktimeout : spec.negotiatetimeout) * 1000;
    case 'ping':
      return spec.checktimeout * Math.max(1, spec.checkcount) * 1000;
    case 'connect':
      // A UDP connect check is a ping (docs/behaviour.md §3.1), with its checkcount attempts.
      return spec.checktimeout * (spec.protocol === 'udp' ? Math.max(1, spec.checkcount) : 1) * 1000;
    default:
      return spec.checktimeout * 1000;
  }
}

/** The text a check's reasons start with: what was checked, e.g. `connect 127.0.0.5:80`. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
