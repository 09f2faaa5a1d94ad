// The event counts are plain numbers until /metrics is first asked for; exported, they must read exactly as
// prom-client's own Counter and Histogram would have for the same events (the exposition before this change).
import { Counter, Histogram, Registry } from 'prom-client';
import { eventCounts } from '../../../src/observe/metrics/event-counts';
import { recordReconcileEvent } from '../../../src/observe/metrics/feed';
import { eventMetrics } from '../../../src/observe/metrics/event-metrics';
import { METRIC } from '../../../src/observe/metrics/names';
import { parsePrometheusText, sampleOf } from './support/prom-text';
import { quietMetrics } from './support/quiet-metrics';

const DURATIONS = [0.0004, 0.001, 0.0011, 0.02, 0.5, 2.5, 7, 31, 0.001];

test('a histogram and a counter read as prom-client would have counted them', async () => {
  const events = eventCounts();
  const ours = new Registry();
  eventMetrics(events, [ours]);
  const theirs = new Registry();
  const h = new Histogram({
    name: METRIC.checkDuration,
    help: events.checkDuration.help,
    labelNames: ['check', 'service'],
    buckets: [...events.checkDuration.buckets],
    registers: [theirs],
  });
  const c = new Counter({
    name: METRIC.transitions,
    help: events.transitions.help,
    labelNames: ['virtual', 'real', 'to'],
    registers: [theirs],
  });
  for (const [i, d] of DURATIONS.entries()) {
    const labels = { check: i % 2 === 0 ? 'negotiate' : 'connect', service: 'http' };
    events.checkDuration.observe(labels, d);
    h.observe(labels, d);
  }
  for (const to of ['down', 'up', 'down']) {
    const labels = { virtual: 'tcp:10.0.0.1:80', real: '10.0.0.2:80', to };
    events.transitions.inc(labels);
    c.inc(labels);
  }
  const block = (text: string, name: string): string =>
    text
      .split('\n')
      .filter((l) => l.includes(`${name}`))
      .join('\n');
  const ourText = await ours.metrics();
  const theirText = await theirs.metrics();
  expect(block(ourText, METRIC.checkDuration)).toBe(block(theirText, METRIC.checkDuration));
  expect(block(ourText, METRIC.transitions)).toBe(block(theirText, METRIC.transitions));
  expect(block(ourText, METRIC.checkDuration)).toContain(`${METRIC.checkDuration}_bucket{le="+Inf",check="negotiate"`);
});

test('what was counted before the registry was built is in its first scrape', async () => {
  const events = eventCounts();
  events.ipvsOps.inc({ operation: 'add-dest' });
  events.ipvsOps.inc({ operation: 'add-dest' });
  events.reloads.inc({ result: 'success' });
  events.reconcileDuration.observe({ phase: 'start' }, 0.003);
  events.lastReload.set(1_800_000_000);
  const f = parsePrometheusText(await quietMetrics({ events }).scrape());
  expect(sampleOf(f, METRIC.ipvsOps, { operation: 'add-dest' }).value).toBe(2);
  expect(sampleOf(f, METRIC.reloads, { result: 'success' }).value).toBe(1);
  expect(sampleOf(f, METRIC.reloads, { result: 'failure' }).value).toBe(0);
  expect(sampleOf(f, METRIC.driftRepairs).value).toBe(0);
  expect(sampleOf(f, `${METRIC.reconcileDuration}_bucket`, { phase: 'start', le: '0.005' }).value).toBe(1);
  expect(sampleOf(f, `${METRIC.reconcileDuration}_bucket`, { phase: 'start', le: '0.001' }).value).toBe(0);
  expect(sampleOf(f, `${METRIC.reconcileDuration}_sum`, { phase: 'start' }).value).toBe(0.003);
  expect(sampleOf(f, METRIC.lastReload).value).toBe(1_800_000_000);
  // and it goes on counting after
  events.ipvsOps.inc({ operation: 'add-dest' });
  expect(
    sampleOf(parsePrometheusText(await quietMetrics({ events }).scrape()), METRIC.ipvsOps, { operation: 'add-dest' })
      .value,
  ).toBe(3);
});

test('the reconcile feed reads the clock for a reload only, not for each op of a pass', () => {
  const events = eventCounts();
  let reads = 0;
  const now = (): number => {
    reads += 1;
    return 1_800_000_000_000;
  };
  const op = { kind: 'delete-service', key: { family: 'inet', fwmark: 7 }, label: '7', why: 'removed' } as const;
  for (let i = 0; i < 5; i += 1) recordReconcileEvent(events, { type: 'op-applied', phase: 'start', op }, now);
  recordReconcileEvent(events, { type: 'pass', phase: 'start', ops: 5, failed: 0, durationMs: 3 }, now);
  expect(reads).toBe(0);
  recordReconcileEvent(events, { type: 'reloaded', file: '/etc/ha.d/ldirectord.cf' }, now);
  expect(reads).toBe(1);
  expect(events.lastReload.value()).toBe(1_800_000_000);
});

test('drift repairs count the drift a resync found, or its applied ops when it could not tell', () => {
  const events = eventCounts();
  const count = (): number | undefined => [...events.driftRepairs.series()][0]?.value;
  recordReconcileEvent(events, { type: 'pass', phase: 'resync', ops: 44, failed: 0, drift: 0 }, () => 0);
  recordReconcileEvent(events, { type: 'pass', phase: 'resync', ops: 3, failed: 0, drift: 2 }, () => 0);
  recordReconcileEvent(events, { type: 'pass', phase: 'resync', ops: 4, failed: 1 }, () => 0);
  expect(count()).toBe(5);
});
