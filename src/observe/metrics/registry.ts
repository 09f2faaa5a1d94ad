// The daemon's metrics, all on one Registry the caller owns (never prom-client's global one). Counters and
// histograms are read from the counts that domain events feed (event-counts.ts, fed by feed.ts, exported by
// event-metrics.ts); the gauges of the current state (here)
// and the kernel's counters (kernel-counters.ts) are computed when scraped, from the director's snapshot and a
// cached kernel read (kernel-stats.ts).
// Bounded: the per-real-server series (state gauges and kernel counters per real) are exported only while the
// config has at most `maxRealSeries` real servers (default 1,000, ~10 series each); above that they are left
// out, `onCapped` is told once (the daemon logs a warning), and the per-virtual series remain. At 100 × 1,000
// real servers the uncapped scrape was 132 MB and 1.3 M series; capped, a scrape stays small and quick.

import { Gauge, Registry } from 'prom-client';
import type { DirectorSnapshot } from '../../reconcile/snapshot';
import type { KernelStats } from './kernel-stats';
import { kernelCounters } from './kernel-counters';
import { eventCounts, type EventCounts } from './event-counts';
import { eventMetrics } from './event-metrics';
import { processMetrics } from './build-info';
import { METRIC } from './names';
import { syncDaemonMetrics } from './sync-daemons';
import { announceMetrics } from './announce';

export interface MetricsSources {
  readonly snapshot: () => DirectorSnapshot;
  /** Per target id: the operator override in force, if any. */
  readonly override: (targetId: string) => 'drain' | 'maintenance' | undefined;
  readonly kernel: KernelStats;
  /** Weight in the kernel now, by target id (absent: no entry). */
  readonly kernelWeights: () => Promise<ReadonlyMap<string, number>>;
  /** Most real servers with per-real series (default MAX_REAL_SERIES). */
  readonly maxRealSeries?: number;
  /** Told once per crossing when the real servers are more than maxRealSeries (and their series left out). */
  readonly onCapped?: (reals: number, cap: number) => void;
  /** The counts the domain events feed (default: a fresh set, all zero). */
  readonly events?: EventCounts;
}

export const MAX_REAL_SERIES = 1000;

export interface DaemonMetrics {
  readonly registry: Registry;
  /** The exposition text; the director's snapshot is taken once for the whole scrape. */
  scrape(): Promise<string>;
}

export function createDaemonMetrics(src: MetricsSources, registry: Registry = new Registry()): DaemonMetrics {
  const registers = [registry];
  // One snapshot per scrape (it walks every real server): scrapes that overlap share it.
  let scraping: { count: number; snapshot?: DirectorSnapshot } | undefined;
  const snapshot = (): DirectorSnapshot => {
    if (scraping === undefined) return src.snapshot();
    scraping.snapshot ??= src.snapshot();
    return scraping.snapshot;
  };
  const cap = src.maxRealSeries ?? MAX_REAL_SERIES;
  let capped = false;
  /** Whether per-real series are left out for this many real servers (telling onCapped at the crossing). */
  const overCap = (count: number): boolean => {
    const over = count > cap;
    if (over && !capped) src.onCapped?.(count, cap);
    capped = over;
    return over;
  };
  const reals = (): Array<{ vid: string; real: string; r: DirectorSnapshot['virtuals'][number]['reals'][number] }> => {
    const vs = snapshot().virtuals;
    if (overCap(vs.reduce((n, v) => n + v.reals.length, 0))) return [];
    return vs.flatMap((v) => v.reals.map((r) => ({ vid: v.vid, real: r.label, r })));
  };

  new Gauge({
    name: METRIC.realState,
    help: 'Health state of a real server (1 for the current state: up, down, unknown).',
    labelNames: ['virtual', 'real', 'state'],
    registers,
    collect() {
      this.reset();
      for (const x of reals())
        for (const s of ['up', 'down', 'unknown'])
          this.set({ virtual: x.vid, real: x.real, state: s }, x.r.health === s ? 1 : 0);
    },
  });
  new Gauge({
    name: METRIC.realWeight,
    help: 'Weight of a real server: configured, desired by the director, and in the kernel now (absent = no entry).',
    labelNames: ['virtual', 'real', 'source'],
    registers,
    async collect() {
      const kernel = await src.kernelWeights();
      this.reset();
      for (const x of reals()) {
        const l = { virtual: x.vid, real: x.real };
        this.set({ ...l, source: 'configured' }, x.r.configuredWeight);
        if (typeof x.r.desiredWeight === 'number') this.set({ ...l, source: 'desired' }, x.r.desiredWeight);
        const k = kernel.get(x.r.targetId);
        if (k !== undefined) this.set({ ...l, source: 'kernel' }, k);
      }
    },
  });
  new Gauge({
    name: METRIC.realOverride,
    help: 'Operator override of a real server: 1 while drain or maintenance is in force (no series otherwise).',
    labelNames: ['virtual', 'real', 'override'],
    registers,
    collect() {
      this.reset();
      for (const x of reals()) {
        const o = src.override(x.r.targetId);
        if (o !== undefined) this.set({ virtual: x.vid, real: x.real, override: o }, 1);
      }
    },
  });
  new Gauge({
    name: METRIC.fallbackActive,
    help: 'Whether the virtual service is in its sorry state (1: no real server serves).',
    labelNames: ['virtual'],
    registers,
    collect() {
      this.reset();
      for (const v of snapshot().virtuals) this.set({ virtual: v.vid }, v.fallbackActive === true ? 1 : 0);
    },
  });

  kernelCounters(src.kernel, registers, () => capped);
  // Connection-sync daemons (src/sync): up/wanted per role, refusals by errno.
  syncDaemonMetrics(snapshot, registers);
  announceMetrics(snapshot, registers);
  // ldirectord_build_info and the process/Node.js defaults (CPU, memory, fds, heap, event-loop lag, GC).
  processMetrics(registry);
  eventMetrics(src.events ?? eventCounts(), registers);

  return {
    registry,
    async scrape() {
      scraping ??= { count: 0 };
      const mine = scraping;
      mine.count++;
      try {
        return await registry.metrics();
      } finally {
        if (--mine.count === 0 && scraping === mine) scraping = undefined;
      }
    },
  };
}
