// String identities for IPVS services and destinations (map keys), and the V / R labels the log catalogue
// uses: V = `VIP:VPORT` (IPv6 in brackets) or the fwmark number, R = `RIP:RPORT`.

import type { DestKey, ServiceKey } from '../ipvs/types';

const host = (family: string, address: string): string => (family === 'inet6' ? `[${address}]` : address);

/** `tcp|inet|10.0.0.1|80` or `fwm|inet6|7`: unique per kernel service. */
export function serviceId(k: ServiceKey): string {
  return 'fwmark' in k ? `fwm|${k.family}|${k.fwmark}` : `${k.protocol}|${k.family}|${k.address}|${k.port}`;
}

export function destId(d: DestKey): string {
  return `${d.family}|${d.address}|${d.port}`;
}

/** The log label V of a service. */
export function serviceLabel(k: ServiceKey): string {
  return 'fwmark' in k ? String(k.fwmark) : `${host(k.family, k.address)}:${k.port}`;
}

/** The log label R of a destination. */
export function destLabel(d: DestKey): string {
  return `${host(d.family, d.address)}:${d.port}`;
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
