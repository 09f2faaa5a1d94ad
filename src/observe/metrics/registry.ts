// The daemon's metrics, all on one Registry the caller owns (never prom-client's global one). Counters and
// histograms are fed by domain events (events.ts); the gauges of the current state and the kernel's counters
// are computed when scraped, from the director's snapshot and a cached kernel read (kernel-stats.ts).
// Bounded: the per-real-server series (state gauges and kernel counters per real) are exported only while the
// config has at most `maxRealSeries` real servers (default 1,000, ~10 series each); above that they are left
// out, `onCapped` is told once (the daemon logs a warning), and the per-virtual series remain. At 100 × 1,000
// real servers the uncapped scrape was 132 MB and 1.3 M series; capped, a scrape stays small and quick.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DirectorSnapshot } from '../../reconcile/snapshot';
import type { KernelStats, StatsRow } from './kernel-stats';
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
}

export const MAX_REAL_SERIES = 1000;

export interface DaemonMetrics {
  readonly registry: Registry;
  /** The exposition text; the director's snapshot is taken once for the whole scrape. */
  scrape(): Promise<string>;
  readonly checkDuration: Histogram<'check' | 'service'>;
  readonly checkResults: Counter<'check' | 'service' | 'outcome' | 'reason'>;
  readonly transitions: Counter<'virtual' | 'real' | 'to'>;
  readonly ipvsOps: Counter<'operation'>;
  readonly ipvsOpFailures: Counter<'operation' | 'errno'>;
  readonly reconcileDuration: Histogram<'phase'>;
  readonly reconcilePasses: Counter<'phase'>;
  readonly driftRepairs: Counter<string>;
  readonly reloads: Counter<'result'>;
  readonly lastReload: Gauge<string>;
}

const CHECK_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const PASS_BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/** Sets a counter to absolute values read from elsewhere (the kernel's). */
function setCounter<T extends string>(
  c: Counter<T>,
  values: ReadonlyArray<readonly [Partial<Record<T, string>>, number]>,
): void {
  c.reset();
  for (const [labels, v] of values) c.inc(labels, v);
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

  const m: DaemonMetrics = {
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
    checkDuration: new Histogram({
      name: METRIC.checkDuration,
      help: 'Duration of health checks.',
      labelNames: ['check', 'service'],
      buckets: CHECK_BUCKETS,
      registers,
    }),
    checkResults: new Counter({
      name: METRIC.checkResults,
      help: 'Health check results by outcome and reason class.',
      labelNames: ['check', 'service', 'outcome', 'reason'],
      registers,
    }),
    transitions: new Counter({
      name: METRIC.transitions,
      help: 'Health transitions of real servers.',
      labelNames: ['virtual', 'real', 'to'],
      registers,
    }),
    ipvsOps: new Counter({
      name: METRIC.ipvsOps,
      help: 'IPVS operations applied.',
      labelNames: ['operation'],
      registers,
    }),
    ipvsOpFailures: new Counter({
      name: METRIC.ipvsOpFailures,
      help: 'IPVS operations that failed, by errno name.',
      labelNames: ['operation', 'errno'],
      registers,
    }),
    reconcileDuration: new Histogram({
      name: METRIC.reconcileDuration,
      help: 'Duration of reconcile passes.',
      labelNames: ['phase'],
      buckets: PASS_BUCKETS,
      registers,
    }),
    reconcilePasses: new Counter({
      name: METRIC.reconcilePasses,
      help: 'Reconcile passes by phase.',
      labelNames: ['phase'],
      registers,
    }),
    driftRepairs: new Counter({
      name: METRIC.driftRepairs,
      help: 'IPVS operations applied by periodic resyncs to repair drift.',
      registers,
    }),
    reloads: new Counter({
      name: METRIC.reloads,
      help: 'Configuration reloads by result.',
      labelNames: ['result'],
      registers,
    }),
    lastReload: new Gauge({
      name: METRIC.lastReload,
      help: 'Unix time of the last configuration that was loaded successfully (start or reload).',
      registers,
    }),
  };
  // Series that dashboards divide or alert on exist from the start, at 0.
  for (const result of ['success', 'failure']) m.reloads.inc({ result }, 0);
  m.driftRepairs.inc(0);
  return m;
}

type Dir = 'in' | 'out';

function kernelCounters(kernel: KernelStats, registers: Registry[], capped: () => boolean): void {
  const per = (real: boolean) => async (): Promise<StatsRow[]> =>
    real && capped() ? [] : (await kernel.read()).rows.filter((r) => (r.real !== undefined) === real);
  const labels = (r: StatsRow): Record<string, string> =>
    r.real === undefined ? { virtual: r.vid } : { virtual: r.vid, real: r.real };
  const family = (
    realRows: boolean,
    names: { conns: string; packets: string; bytes: string },
    labelNames: string[],
  ): void => {
    const rows = per(realRows);
    new Counter({
      name: names.conns,
      help: `Connections scheduled by the kernel to this ${realRows ? 'real server' : 'virtual service'}.`,
      labelNames,
      registers,
      async collect() {
        setCounter(
          this,
          (await rows()).map((r) => [labels(r), Number(r.stats.conns)] as const),
        );
      },
    });
    const directional = (name: string, what: string, pick: (r: StatsRow, d: Dir) => bigint): void => {
      new Counter({
        name,
        help: `${what} through this ${realRows ? 'real server' : 'virtual service'} (kernel counter), by direction.`,
        labelNames: [...labelNames, 'direction'],
        registers,
        async collect() {
          const rs = await rows();
          setCounter(
            this,
            rs.flatMap((r) =>
              (['in', 'out'] as const).map((d) => [{ ...labels(r), direction: d }, Number(pick(r, d))] as const),
            ),
          );
        },
      });
    };
    directional(names.packets, 'Packets', (r, d) => (d === 'in' ? r.stats.inPackets : r.stats.outPackets));
    directional(names.bytes, 'Bytes', (r, d) => (d === 'in' ? r.stats.inBytes : r.stats.outBytes));
  };
  family(false, { conns: METRIC.virtualConns, packets: METRIC.virtualPackets, bytes: METRIC.virtualBytes }, [
    'virtual',
  ]);
  family(true, { conns: METRIC.realConns, packets: METRIC.realPackets, bytes: METRIC.realBytes }, ['virtual', 'real']);
  let seen = 0;
  new Counter({
    name: METRIC.statsReadErrors,
    help: 'Failed kernel reads while collecting IPVS counters.',
    registers,
    async collect() {
      // Errors are counted once per actual read, not per scrape that reused a cached reading.
      const reading = await kernel.read();
      const reads = kernel.reads();
      if (reads !== seen) {
        seen = reads;
        if (reading.errors > 0) this.inc(reading.errors);
      }
    },
  });
}
