// How the kernel shapes what it stores and how it names its refusals, for the in-memory table (table.ts):
// canonical addresses, the netmask as a dump shows it, tunnel defaults, zeroed counters, newest-first dests.

import { canonicalAddress, numberToIpv4Mask } from '../codec/address';
import { netmaskToWire } from '../codec/service';
import { zeroStats } from '../codec/stats';
import { errnoName, IpvsError, type IpvsOperation } from '../errors';
import type { IpvsDest, IpvsDestEntry, IpvsService, IpvsServiceEntry, IpvsTimeouts, ServiceKey } from '../types';

/** The dests of a service as a kernel dump lists them: newest first. */
export function newestFirst(dests: ReadonlyMap<string, IpvsDestEntry>): IpvsDestEntry[] {
  const out = [...dests.values()];
  out.reverse();
  return out;
}

export const DEFAULT_TIMEOUTS: IpvsTimeouts = { tcp: 900, tcpFin: 120, udp: 300 };

export function fail(op: IpvsOperation, errno: number, message: string): IpvsError {
  return new IpvsError(op, errno, `${op}: ${errnoName(errno)} (${message})`);
}

function keyOf(k: ServiceKey): ServiceKey {
  return 'fwmark' in k
    ? { family: k.family, fwmark: k.fwmark }
    : { family: k.family, protocol: k.protocol, address: canonicalAddress(k.family, k.address), port: k.port };
}

export function normalizeService(s: IpvsService): IpvsServiceEntry {
  const wireMask = netmaskToWire(s);
  return Object.freeze({
    ...keyOf(s),
    scheduler: s.scheduler,
    flags: Object.freeze({
      persistent: !!s.flags.persistent,
      onePacket: !!s.flags.onePacket,
      sched1: !!s.flags.sched1,
      sched2: !!s.flags.sched2,
      sched3: !!s.flags.sched3,
    }),
    timeout: s.timeout,
    netmask: s.family === 'inet' ? numberToIpv4Mask(wireMask) : wireMask,
    ...(s.peName ? { peName: s.peName } : {}),
    stats: zeroStats(),
  });
}

export function normalizeDest(d: IpvsDest, counters?: IpvsDestEntry): IpvsDestEntry {
  return Object.freeze({
    family: d.family,
    address: canonicalAddress(d.family, d.address),
    port: d.port,
    forwarding: d.forwarding,
    weight: d.weight,
    upperThreshold: d.upperThreshold,
    lowerThreshold: d.lowerThreshold,
    ...(d.forwarding === 'tunnel'
      ? { tunnel: Object.freeze({ ...(d.tunnel ?? { type: 'ipip', port: 0, csum: 'nocsum' }) }) }
      : {}),
    activeConns: counters?.activeConns ?? 0,
    inactiveConns: counters?.inactiveConns ?? 0,
    persistentConns: counters?.persistentConns ?? 0,
    stats: counters?.stats ?? zeroStats(),
  });
}
