// The metrics fed by domain events (feed.ts turns check results, transitions, reconcile passes and reloads into
// increments): counters and histograms, registered on the caller's registry.

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRIC } from './names';

export interface EventMetrics {
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

export function eventMetrics(registers: Registry[]): EventMetrics {
  return {
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
}
