// The weight each real server has in the kernel right now (from a kernel reading), by health target id.
// Pure: joins the reading's (virtual, destination) rows with the config through the IPVS mapping.

import type { Config } from '../../model/config';
import { realTargetId, type IpvsMapping } from '../../reconcile/desired';
import { destId } from '../../reconcile/keys';
import type { KernelStatsReading } from './kernel-stats';

export function kernelWeights(
  reading: KernelStatsReading,
  config: Config,
  map: IpvsMapping,
): ReadonlyMap<string, number> {
  const byDest = new Map<string, number>();
  for (const r of reading.rows)
    if (r.destId !== undefined && r.weight !== undefined) byDest.set(`${r.vid}|${r.destId}`, r.weight);
  const out = new Map<string, number>();
  for (const v of config.virtuals) {
    for (const r of v.reals) {
      const w = byDest.get(`${v.id}|${destId(map.dest(v, r))}`);
      if (w !== undefined) out.set(realTargetId(v, r), w);
    }
  }
  return out;
}
