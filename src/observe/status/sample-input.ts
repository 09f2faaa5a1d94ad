// One history sample's input (history.ts TickInput) from what the director and the kernel show now: the
// kernel's counters by virtual id and by real server target id (rows joined with the config through the IPVS
// mapping, as metrics/kernel-weights.ts does), and each real server's state (an operator override first,
// then its health). Pure.

import type { Config } from '../../model/config';
import { realTargetId, type IpvsMapping } from '../../reconcile/desired';
import { destId } from '../../reconcile/keys';
import type { DirectorSnapshot } from '../../reconcile/snapshot';
import type { IpvsStats } from '../../ipvs/types';
import type { KernelStatsReading } from '../metrics/kernel-stats';
import { STATE, type Counters, type TickInput } from './history';

const counters = (s: IpvsStats): Counters => ({
  conns: Number(s.conns),
  inBytes: Number(s.inBytes),
  outBytes: Number(s.outBytes),
});

export function sampleInput(
  at: number,
  snap: DirectorSnapshot,
  reading: KernelStatsReading,
  config: Config,
  map: IpvsMapping,
  override: (targetId: string) => 'drain' | 'maintenance' | undefined,
): TickInput {
  const byDest = new Map<string, IpvsStats>();
  const out = new Map<string, Counters>();
  for (const r of reading.rows) {
    if (r.destId === undefined) out.set(r.vid, counters(r.stats));
    else byDest.set(`${r.vid}|${r.destId}`, r.stats);
  }
  for (const v of config.virtuals)
    for (const r of v.reals) {
      const s = byDest.get(`${v.id}|${destId(map.dest(v, r))}`);
      if (s !== undefined) out.set(realTargetId(v, r), counters(s));
    }
  const states = new Map<string, number>();
  const keys: string[] = [];
  for (const v of snap.virtuals) {
    keys.push(v.vid);
    for (const r of v.reals) {
      keys.push(r.targetId);
      const o = override(r.targetId);
      states.set(r.targetId, o !== undefined ? STATE[o] : STATE[r.health]);
    }
  }
  return { at, counters: out, states, keys };
}
