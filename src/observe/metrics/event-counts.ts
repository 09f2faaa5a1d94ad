// The counts behind the event-driven metrics (check results and durations, transitions, IPVS operations,
// reconcile passes, reloads), kept in plain numbers from the daemon's start. feed.ts adds to them; the
// Prometheus registry (event-metrics.ts, registry.ts) is built from them only when /metrics is first asked
// for, so a daemon that is never scraped never loads prom-client (docs/observability.md, "Metrics").
// Each family's name, help, labels and buckets are here too: the exposition reads them from this table.

import { METRIC } from './names';

type Labels<L extends string> = Readonly<Record<L, string>>;

export interface CountedSeries<L extends string> {
  readonly labels: Labels<L>;
  readonly value: number;
}

export interface ObservedSeries<L extends string> {
  readonly labels: Labels<L>;
  /** Observations per bucket, not cumulative; one more than the family's buckets (the last is +Inf). */
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

interface Family<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
}

export interface CounterFamily<L extends string> extends Family<L> {
  inc(labels: Labels<L>, n?: number): void;
  series(): Iterable<CountedSeries<L>>;
}

export interface HistogramFamily<L extends string> extends Family<L> {
  readonly buckets: readonly number[];
  observe(labels: Labels<L>, value: number): void;
  series(): Iterable<ObservedSeries<L>>;
}

export interface GaugeValue {
  readonly name: string;
  readonly help: string;
  set(value: number): void;
  /** undefined until first set. */
  value(): number | undefined;
}

export interface EventCounts {
  readonly checkDuration: HistogramFamily<'check' | 'service'>;
  readonly checkResults: CounterFamily<'check' | 'service' | 'outcome' | 'reason'>;
  readonly transitions: CounterFamily<'virtual' | 'real' | 'to'>;
  readonly ipvsOps: CounterFamily<'operation'>;
  readonly ipvsOpFailures: CounterFamily<'operation' | 'errno'>;
  readonly reconcileDuration: HistogramFamily<'phase'>;
  readonly reconcilePasses: CounterFamily<'phase'>;
  readonly driftRepairs: CounterFamily<never>;
  readonly reloads: CounterFamily<'result'>;
  readonly lastReload: GaugeValue;
}

const CHECK_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const PASS_BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/** One series per distinct tuple of label values, in the family's label order. */
const keyOf = <L extends string>(names: readonly L[], labels: Labels<L>): string =>
  names.length === 1 ? (labels[names[0] as L] ?? '') : names.map((n) => labels[n]).join('\u0000');

function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): CounterFamily<L> {
  const byKey = new Map<string, { labels: Labels<L>; value: number }>();
  return {
    name,
    help,
    labelNames,
    inc(labels, n = 1) {
      const key = keyOf(labelNames, labels);
      const s = byKey.get(key);
      if (s === undefined) byKey.set(key, { labels: { ...labels }, value: n });
      else s.value += n;
    },
    series: () => byKey.values(),
  };
}

function histogram<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: readonly number[],
): HistogramFamily<L> {
  const byKey = new Map<string, { labels: Labels<L>; counts: number[]; sum: number; count: number }>();
  return {
    name,
    help,
    labelNames,
    buckets,
    observe(labels, value) {
      const key = keyOf(labelNames, labels);
      let s = byKey.get(key);
      if (s === undefined) {
        s = { labels: { ...labels }, counts: new Array<number>(buckets.length + 1).fill(0), sum: 0, count: 0 };
        byKey.set(key, s);
      }
      let i = 0;
      while (i < buckets.length && value > (buckets[i] as number)) i++;
      s.counts[i] = (s.counts[i] as number) + 1;
      s.sum += value;
      s.count += 1;
    },
    series: () => byKey.values(),
  };
}

function gauge(name: string, help: string): GaugeValue {
  let v: number | undefined;
  return {
    name,
    help,
    set(value) {
      v = value;
    },
    value: () => v,
  };
}

export function eventCounts(): EventCounts {
  const c: EventCounts = {
    checkDuration: histogram(METRIC.checkDuration, 'Duration of health checks.', ['check', 'service'], CHECK_BUCKETS),
    checkResults: counter(METRIC.checkResults, 'Health check results by outcome and reason class.', [
      'check',
      'service',
      'outcome',
      'reason',
    ]),
    transitions: counter(METRIC.transitions, 'Health transitions of real servers.', ['virtual', 'real', 'to']),
    ipvsOps: counter(METRIC.ipvsOps, 'IPVS operations applied.', ['operation']),
    ipvsOpFailures: counter(METRIC.ipvsOpFailures, 'IPVS operations that failed, by errno name.', [
      'operation',
      'errno',
    ]),
    reconcileDuration: histogram(METRIC.reconcileDuration, 'Duration of reconcile passes.', ['phase'], PASS_BUCKETS),
    reconcilePasses: counter(METRIC.reconcilePasses, 'Reconcile passes by phase.', ['phase']),
    driftRepairs: counter(METRIC.driftRepairs, 'IPVS operations applied by periodic resyncs to repair drift.', []),
    reloads: counter(METRIC.reloads, 'Configuration reloads by result.', ['result']),
    lastReload: gauge(
      METRIC.lastReload,
      'Unix time of the last configuration that was loaded successfully (start or reload).',
    ),
  };
  // Series that dashboards divide or alert on exist from the start, at 0.
  for (const result of ['success', 'failure']) c.reloads.inc({ result }, 0);
  c.driftRepairs.inc({}, 0);
  return c;
}
