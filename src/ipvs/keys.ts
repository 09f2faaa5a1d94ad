// String identities of IPVS services and destinations, the one definition every layer uses as a map key (the
// in-memory table, the reconciler's plan and known table, the metrics): `tcp|inet|10.0.0.1|80`,
// `fwm|inet6|7`, `inet|10.0.0.5|80`. Addresses are canonicalised first, so `2001:db8::0001` and the kernel's
// `2001:db8::1` are the same service or destination. Built flat (src/model/flat.ts): they are kept per real server.

import { flat } from '../model/flat';
import { canonicalAddress } from './codec/address';
import type { DestKey, IpvsFamily, ServiceKey } from './types';

// Dotted quads without leading zeros are already canonical: the common case skips the parse.
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

const canonical = (family: IpvsFamily, address: string): string =>
  family === 'inet' && CANONICAL_IPV4.test(address) ? address : canonicalAddress(family, address);

/** Unique per kernel service. */
export function serviceId(k: ServiceKey): string {
  return 'fwmark' in k
    ? flat`fwm|${k.family}|${k.fwmark}`
    : flat`${k.protocol}|${k.family}|${canonical(k.family, k.address)}|${k.port}`;
}

/** Unique per destination within one service. */
export function destId(d: DestKey): string {
  return flat`${d.family}|${canonical(d.family, d.address)}|${d.port}`;
}

/** Only the identifying fields of a service (what the kernel's SERVICE id attributes carry). */
export function serviceKeyOf(k: ServiceKey): ServiceKey {
  return 'fwmark' in k
    ? { family: k.family, fwmark: k.fwmark }
    : { family: k.family, protocol: k.protocol, address: k.address, port: k.port };
}

export function destKeyOf(d: DestKey): DestKey {
  return { family: d.family, address: d.address, port: d.port };
}
