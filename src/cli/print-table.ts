// --print-table: the IPVS table a config describes with every real server up, in config order. A virtual with
// no real servers shows its fallback (the sorry server is what would be in the kernel then).

import type { IpvsDest } from '../ipvs/types';
import { formatTable, type TableEntry } from '../ipvs/save-format';
import type { Config } from '../model/config';
import { fallbackDest, toIpvsDest, toIpvsService } from '../reconcile/to-ipvs';

export function allUpTable(config: Config): TableEntry[] {
  return config.virtuals.map((v) => {
    const dests: IpvsDest[] = [];
    const seen = new Set<string>();
    const add = (d: IpvsDest): void => {
      const key = `${d.address}|${d.port}`;
      if (seen.has(key)) return; // the kernel holds one destination per address:port
      seen.add(key);
      dests.push(d);
    };
    for (const r of v.reals) add(toIpvsDest(v, r));
    if (v.reals.length === 0 && v.fallback) add(fallbackDest(v, v.fallback));
    return { service: toIpvsService(v), dests };
  });
}

export function printTable(config: Config): string {
  return formatTable(allUpTable(config));
}
