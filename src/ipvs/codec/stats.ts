// IPVS_SVC_ATTR_STATS / STATS64 and IPVS_DEST_ATTR_STATS / STATS64: nested counters. In STATS (the old 32-bit
// form) CONNS, INPKTS, OUTPKTS and the rates are u32 and the byte counters u64; in STATS64 all are u64. PAD
// (11) only aligns the u64 values and is skipped.

import type { IpvsStats } from '../types';
import { getU32, getU64, type AttrMap } from './attrs';
import { STATS_ATTR } from './constants';

export type WireStats = Readonly<Record<keyof IpvsStats, bigint>>;

const FIELDS: ReadonlyArray<[keyof IpvsStats, number]> = [
  ['conns', STATS_ATTR.CONNS],
  ['inPackets', STATS_ATTR.INPKTS],
  ['outPackets', STATS_ATTR.OUTPKTS],
  ['inBytes', STATS_ATTR.INBYTES],
  ['outBytes', STATS_ATTR.OUTBYTES],
  ['cps', STATS_ATTR.CPS],
  ['inPps', STATS_ATTR.INPPS],
  ['outPps', STATS_ATTR.OUTPPS],
  ['inBps', STATS_ATTR.INBPS],
  ['outBps', STATS_ATTR.OUTBPS],
];

const WIDE_IN_32 = new Set<number>([STATS_ATTR.INBYTES, STATS_ATTR.OUTBYTES]);

export function decodeStats(m: AttrMap, wide: boolean, where: string): WireStats {
  const out: Record<string, bigint> = {};
  for (const [name, type] of FIELDS) {
    const v = wide || WIDE_IN_32.has(type) ? getU64(m, type, where) : BigInt(getU32(m, type, where) ?? 0);
    out[name] = v ?? 0n;
  }
  return out as WireStats;
}

export function zeroStats(): IpvsStats {
  return {
    conns: 0n,
    inPackets: 0n,
    outPackets: 0n,
    inBytes: 0n,
    outBytes: 0n,
    cps: 0n,
    inPps: 0n,
    outPps: 0n,
    inBps: 0n,
    outBps: 0n,
  };
}
