// The event-driven metrics on a Prometheus registry, read from the plain counts (event-counts.ts) at scrape
// time: counters are set to the counts (as the kernel counters are, kernel-counters.ts), histograms and the
// reload timestamp are exported as they stand. Built with the registry, so only once /metrics is asked for.

import { Counter, Gauge, type Metric, type Registry } from 'prom-client';
import type { CounterFamily, EventCounts, HistogramFamily } from './event-counts';

function counterOf<L extends string>(c: CounterFamily<L>, registers: Registry[]): void {
  new Counter<L>({
    name: c.name,
    help: c.help,
    labelNames: c.labelNames,
    registers,
    collect() {
      this.reset();
      for (const s of c.series()) this.inc(s.labels as Partial<Record<L, string>>, s.value);
    },
  });
}

/** A histogram whose buckets are the plain counts. prom-client's Histogram keeps counts of its own and has no
 * way to be given them, so this is the shape the Registry serialises (it asks a metric for `get()`). */
function histogramOf<L extends string>(h: HistogramFamily<L>, registers: Registry[]): void {
  const metric = {
    name: h.name,
    help: h.help,
    type: 'histogram',
    aggregator: 'sum',
    get: async () => {
      const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
      for (const s of h.series()) {
        let cumulative = 0;
        h.buckets.forEach((le, i) => {
          cumulative += s.counts[i] as number;
          values.push({ labels: { le, ...s.labels }, value: cumulative, metricName: `${h.name}_bucket` });
        });
        values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: `${h.name}_bucket` });
        values.push({ labels: { ...s.labels }, value: s.sum, metricName: `${h.name}_sum` });
        values.push({ labels: { ...s.labels }, value: s.count, metricName: `${h.name}_count` });
      }
      return { name: h.name, help: h.help, type: 'histogram', values, aggregator: 'sum' };
    },
  };
  for (const r of registers) r.registerMetric(metric as unknown as Metric);
}

export function eventMetrics(events: EventCounts, registers: Registry[]): void {
  histogramOf(events.checkDuration, registers);
  counterOf(events.checkResults, registers);
  counterOf(events.transitions, registers);
  counterOf(events.ipvsOps, registers);
  counterOf(events.ipvsOpFailures, registers);
  histogramOf(events.reconcileDuration, registers);
  counterOf(events.reconcilePasses, registers);
  counterOf(events.driftRepairs, registers);
  counterOf(events.reloads, registers);
  const last = events.lastReload;
  new Gauge({
    name: last.name,
    help: last.help,
    registers,
    collect() {
      this.set(last.value() ?? 0);
    },
  });
}
