// IPVS_CMD_ATTR_SERVICE: wire form ↔ model. The nest, in the order libipvs and the kernel write it:
//
//   SERVICE ─┬─ AF u16                       (2 inet, 10 inet6)
//            ├─ FWMARK u32                   ┐ either the mark,
//            ├─ PROTOCOL u16                 │ or protocol + address (16 bytes, v4 in the first 4)
//            ├─ ADDR [16]                    │ + port (big-endian)
//            ├─ PORT be16                    ┘
//            ├─ SCHED_NAME "rr\0"            ┐
//            ├─ PE_NAME "sip\0" (optional)   │ a "full" service (NEW/SET) needs all but PE_NAME
//            ├─ FLAGS {u32 flags, u32 mask}  │ replies carry HASHED (0x2), which we mask out
//            ├─ TIMEOUT u32 (seconds)        │
//            ├─ NETMASK u32                  ┘ v4: be32 mask; v6: host u32 prefix length
//            ├─ STATS {…} / STATS64 {…}        replies only

import type { IpvsService, IpvsServiceEntry, ServiceFlags, ServiceKey } from '../types';
import { addressBytes, formatAddress, ipv4MaskToNumber, numberToIpv4Mask } from './address';
import {
  addressAttr,
  be16,
  be32,
  bytes,
  getBe16,
  getBe32,
  getNested,
  getStr,
  getU16,
  getU32,
  required,
  str,
  u16,
  u32,
  type Attr,
  type AttrMap,
} from './attrs';
import { SVC_ATTR, SVC_F_ONEPACKET, SVC_F_PERSISTENT, SVC_F_SCHED1, SVC_F_SCHED2, SVC_F_SCHED3 } from './constants';
import { afToFamily, familyToAf, numberToProtocol, protocolToNumber } from './family';
import { decodeStats, type WireStats } from './stats';

export interface WireService {
  readonly af: number;
  readonly fwmark?: number;
  readonly protocol?: number;
  readonly addr?: Buffer;
  readonly port?: number;
  readonly schedName?: string;
  readonly peName?: string;
  readonly flags?: { readonly flags: number; readonly mask: number };
  readonly timeout?: number;
  readonly netmask?: number;
  readonly stats?: WireStats;
  readonly stats64?: WireStats;
}

export const isFwmarkKey = (k: ServiceKey): k is Extract<ServiceKey, { fwmark: number }> => 'fwmark' in k;

export function serviceKeyToWire(k: ServiceKey): WireService {
  if (isFwmarkKey(k)) return { af: familyToAf(k.family), fwmark: k.fwmark };
  return {
    af: familyToAf(k.family),
    protocol: protocolToNumber(k.protocol),
    addr: addressBytes(k.family, k.address),
    port: k.port,
  };
}

export function flagsToNumber(f: ServiceFlags): number {
  return (
    (f.persistent ? SVC_F_PERSISTENT : 0) |
    (f.onePacket ? SVC_F_ONEPACKET : 0) |
    (f.sched1 ? SVC_F_SCHED1 : 0) |
    (f.sched2 ? SVC_F_SCHED2 : 0) |
    (f.sched3 ? SVC_F_SCHED3 : 0)
  );
}

export function numberToFlags(n: number): ServiceFlags {
  return {
    persistent: (n & SVC_F_PERSISTENT) !== 0,
    onePacket: (n & SVC_F_ONEPACKET) !== 0,
    sched1: (n & SVC_F_SCHED1) !== 0,
    sched2: (n & SVC_F_SCHED2) !== 0,
    sched3: (n & SVC_F_SCHED3) !== 0,
  };
}

/** v4: dotted mask → be32 value; v6: prefix length as is (the kernel range-checks it: 1..128). */
export function netmaskToWire(s: Pick<IpvsService, 'family' | 'netmask'>): number {
  if (s.family === 'inet') return typeof s.netmask === 'number' ? prefixToMask(s.netmask) : ipv4MaskToNumber(s.netmask);
  return typeof s.netmask === 'number' ? s.netmask : Number(s.netmask);
}

function prefixToMask(len: number): number {
  return len <= 0 ? 0 : (0xffffffff << (32 - Math.min(len, 32))) >>> 0;
}

export function serviceToWire(s: IpvsService): WireService {
  return {
    ...serviceKeyToWire(s),
    schedName: s.scheduler,
    ...(s.peName ? { peName: s.peName } : {}),
    flags: { flags: flagsToNumber(s.flags), mask: 0xffffffff },
    timeout: s.timeout,
    netmask: netmaskToWire(s),
  };
}

export function encodeWireService(w: WireService): Attr[] {
  const out: Attr[] = [u16(SVC_ATTR.AF, w.af)];
  if (w.fwmark !== undefined) out.push(u32(SVC_ATTR.FWMARK, w.fwmark));
  if (w.protocol !== undefined) out.push(u16(SVC_ATTR.PROTOCOL, w.protocol));
  if (w.addr !== undefined) out.push(bytes(SVC_ATTR.ADDR, w.addr));
  if (w.port !== undefined) out.push(be16(SVC_ATTR.PORT, w.port));
  if (w.schedName !== undefined) out.push(str(SVC_ATTR.SCHED_NAME, w.schedName));
  if (w.peName !== undefined) out.push(str(SVC_ATTR.PE_NAME, w.peName));
  if (w.flags !== undefined) {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(w.flags.flags >>> 0, 0);
    b.writeUInt32LE(w.flags.mask >>> 0, 4);
    out.push(bytes(SVC_ATTR.FLAGS, b));
  }
  if (w.timeout !== undefined) out.push(u32(SVC_ATTR.TIMEOUT, w.timeout));
  if (w.netmask !== undefined) {
    // The kernel reads NETMASK with nla_get_be32 for both families; an IPv6 prefix is a host-order number
    // whose bytes it then reinterprets, so we write the v6 prefix host-order and the v4 mask big-endian.
    out.push(w.af === familyToAf('inet') ? be32(SVC_ATTR.NETMASK, w.netmask) : u32(SVC_ATTR.NETMASK, w.netmask));
  }
  return out;
}

export function decodeWireService(m: AttrMap, where: string): WireService {
  const flagsBuf = m.get(SVC_ATTR.FLAGS);
  const af = required(getU16(m, SVC_ATTR.AF, where), 'IPVS_SVC_ATTR_AF', where);
  const stats = getNested(m, SVC_ATTR.STATS, `${where} stats`);
  const stats64 = getNested(m, SVC_ATTR.STATS64, `${where} stats64`);
  const netmask = af === familyToAf('inet') ? getBe32(m, SVC_ATTR.NETMASK, where) : getU32(m, SVC_ATTR.NETMASK, where);
  return {
    af,
    fwmark: getU32(m, SVC_ATTR.FWMARK, where),
    protocol: getU16(m, SVC_ATTR.PROTOCOL, where),
    addr: m.get(SVC_ATTR.ADDR),
    port: getBe16(m, SVC_ATTR.PORT, where),
    schedName: getStr(m, SVC_ATTR.SCHED_NAME),
    peName: getStr(m, SVC_ATTR.PE_NAME),
    flags:
      flagsBuf && flagsBuf.length >= 8
        ? { flags: flagsBuf.readUInt32LE(0), mask: flagsBuf.readUInt32LE(4) }
        : undefined,
    timeout: getU32(m, SVC_ATTR.TIMEOUT, where),
    netmask,
    stats: stats && decodeStats(stats, false, `${where} stats`),
    stats64: stats64 && decodeStats(stats64, true, `${where} stats64`),
  };
}

export function wireToServiceKey(w: WireService, where: string): ServiceKey {
  const family = afToFamily(w.af, where);
  if (w.fwmark !== undefined && w.fwmark !== 0) return { family, fwmark: w.fwmark };
  return {
    family,
    protocol: numberToProtocol(required(w.protocol, 'IPVS_SVC_ATTR_PROTOCOL', where), where),
    address: formatAddress(family, addressAttr(w.addr, family, 'IPVS_SVC_ATTR_ADDR', where)),
    port: required(w.port, 'IPVS_SVC_ATTR_PORT', where),
  };
}

export function wireToService(w: WireService, where: string): IpvsServiceEntry {
  const key = wireToServiceKey(w, where);
  const netmask = required(w.netmask, 'IPVS_SVC_ATTR_NETMASK', where);
  const stats = w.stats64 ?? w.stats;
  return {
    ...key,
    scheduler: required(w.schedName, 'IPVS_SVC_ATTR_SCHED_NAME', where),
    // HASHED (0x2) is kernel bookkeeping set on every live service; numberToFlags ignores it.
    flags: numberToFlags(required(w.flags, 'IPVS_SVC_ATTR_FLAGS', where).flags),
    timeout: required(w.timeout, 'IPVS_SVC_ATTR_TIMEOUT', where),
    netmask: key.family === 'inet' ? numberToIpv4Mask(netmask) : netmask,
    ...(w.peName ? { peName: w.peName } : {}),
    ...(stats ? { stats } : {}),
  };
}
