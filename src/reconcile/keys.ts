// The V / R labels the log catalogue uses: V = `VIP:VPORT` (IPv6 in brackets) or the fwmark number,
// R = `RIP:RPORT`. The map-key identities of services and dests are src/ipvs/keys.ts's, re-exported here.

import type { DestKey, ServiceKey } from '../ipvs/types';
import { flat } from '../model/flat';

export { destId, destKeyOf, serviceId, serviceKeyOf } from '../ipvs/keys';

const host = (family: string, address: string): string => (family === 'inet6' ? `[${address}]` : address);

/** The log label V of a service. */
export function serviceLabel(k: ServiceKey): string {
  return 'fwmark' in k ? String(k.fwmark) : flat`${host(k.family, k.address)}:${k.port}`;
}

/** The log label R of a destination. */
export function destLabel(d: DestKey): string {
  return flat`${host(d.family, d.address)}:${d.port}`;
}
