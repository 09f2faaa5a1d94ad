// The kernel's own counters for the owned virtual services and their destinations, read at scrape time from
// IpvsClient.listServices/listDests. Bounded (at most `maxServices` services per read) and cached for `ttlMs`:
// scrapes that arrive together share one read in flight, and a scraper hammering /metrics costs at most one
// netlink dump per ttl.

import type { IpvsClient, IpvsStats, ServiceKey } from '../../ipvs/types';
import { zeroStats } from '../../ipvs/codec/stats';
import { destId, destLabel, serviceId } from '../../reconcile/keys';

export interface OwnedService {
  readonly vid: string;
  readonly key: ServiceKey;
}

export interface StatsRow {
  readonly vid: string;
  /** Absent for the service's own row. */
  readonly real?: string;
  /** destId() of the destination (absent for the service's own row). */
  readonly destId?: string;
  readonly weight?: number;
  readonly stats: IpvsStats;
}

export interface KernelStatsReading {
  readonly rows: readonly StatsRow[];
  /** Errors met during this read (the rows read before/after them are still there). */
  readonly errors: number;
}

export interface KernelStatsOptions {
  readonly client: Pick<IpvsClient, 'listServices' | 'listDests'>;
  readonly owned: () => readonly OwnedService[];
  readonly now: () => number;
  readonly ttlMs?: number;
  readonly maxServices?: number;
}

export interface KernelStats {
  read(): Promise<KernelStatsReading>;
  /** How many netlink reads were actually made (for tests and the bench). */
  reads(): number;
}

export function createKernelStats(o: KernelStatsOptions): KernelStats {
  const ttl = o.ttlMs ?? 2000;
  const max = o.maxServices ?? 256;
  let cached: { at: number; value: KernelStatsReading } | undefined;
  let inflight: Promise<KernelStatsReading> | undefined;
  let count = 0;

  const fetch = async (): Promise<KernelStatsReading> => {
    count++;
    const rows: StatsRow[] = [];
    let errors = 0;
    const byId = new Map(
      o
        .owned()
        .slice(0, max)
        .map((s) => [serviceId(s.key), s]),
    );
    let services;
    try {
      services = await o.client.listServices();
    } catch {
      return { rows, errors: 1 };
    }
    for (const s of services) {
      const owned = byId.get(serviceId(s));
      if (owned === undefined) continue;
      rows.push({ vid: owned.vid, stats: s.stats ?? zeroStats() });
      try {
        for (const d of await o.client.listDests(owned.key)) {
          rows.push({
            vid: owned.vid,
            real: destLabel(d),
            destId: destId(d),
            weight: d.weight,
            stats: d.stats ?? zeroStats(),
          });
        }
      } catch {
        errors++;
      }
    }
    return { rows, errors };
  };

  return {
    read() {
      const now = o.now();
      if (cached !== undefined && now - cached.at < ttl) return Promise.resolve(cached.value);
      inflight ??= fetch()
        .then((value) => {
          cached = { at: o.now(), value };
          return value;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    reads: () => count,
  };
}
