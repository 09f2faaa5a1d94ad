// The fold and a whole pass stay linear in the number of ops (issue 12 item 4): the work they do, counted as
// elements scanned (support/scan-counter.ts), grows about 4× when the ops grow 4×, where a per-op scan of the
// service's dests made it grow about 16×. No timing: the count is the same on a busy machine.
import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import { realTargetId, type ActualService } from '../../src/reconcile/desired';
import { createEventBus } from '../../src/reconcile/events';
import { serviceId } from '../../src/reconcile/keys';
import { foldApplied } from '../../src/reconcile/known-table';
import { configMapping as map } from '../../src/reconcile/mapping';
import type { Op } from '../../src/reconcile/ops';
import { createReconciler } from '../../src/reconcile/reconciler';
import { config, real, virtual } from './support/fixtures';
import { dest, destAddress, service } from './support/linear-fixture';
import { countScans, growth } from './support/scan-counter';

const N = 500;
/** A linear algorithm's ratio is 4; n log n at these sizes about 4.7 if the sort were counted as such (it is not). */
const LINEAR = 4.5;

const labels = { role: 'real', label: '10.0.0.1:80', destLabel: 'r' } as const;

/** n add-dest, n edit-dest and n delete-dest ops on one service, folded one pass's result at a time. */
function foldThreePasses(n: number): Map<string, ActualService> {
  const known = new Map<string, ActualService>();
  const pass = (applied: Op[]): void => foldApplied(known, { applied, failed: [] });
  const each = (f: (i: number) => Op): Op[] => Array.from({ length: n }, (_, i) => f(i));
  pass([
    { kind: 'add-service', service, label: labels.label },
    ...each((i) => ({ kind: 'add-dest', service, dest: dest(i), why: 'up', ...labels })),
  ]);
  pass(each((i) => ({ kind: 'edit-dest', service, dest: dest(i, 0), why: 'quiesce', ...labels })));
  pass(each((i) => ({ kind: 'delete-dest', key: service, dest: dest(i), why: 'down', ...labels })));
  return known;
}

/** A director's life on one virtual with n reals, all healthy: start, a reload that changes one real, stop. */
async function startReloadStop(n: number): Promise<number> {
  const reals = Array.from({ length: n }, (_, i) => real(destAddress(i), 8080));
  const v = virtual('10.0.0.1', 80, reals);
  const ipvs = createMemoryIpvs();
  const up = new Set(reals.map((r) => realTargetId(v, r)));
  const r = createReconciler(
    { client: ipvs, map, health: (id) => up.has(id), bus: createEventBus(), runFallbackCommand: () => undefined },
    config([v]),
  );
  const start = await r.sync('start');
  const changed = { ...v, reals: [{ ...reals[0]!, weight: 7 }, ...reals.slice(1)] };
  r.setConfig(config([changed]));
  const reload = await r.sync('reload');
  const stop = await r.purge([changed]);
  return start.result.applied.length + reload.result.applied.length + stop.result.applied.length;
}

describe('reconcile work is linear in the ops', () => {
  test('the scan counter sees a per-op scan as quadratic (the check can fail)', async () => {
    const quadratic = (n: number): void => {
      const seen: number[] = [];
      for (let i = 0; i < n; i++) if (!seen.includes(i)) seen.push(i);
    };
    expect((await growth(N, quadratic)).ratio).toBeGreaterThan(10);
    const linear = (n: number): void => {
      const seen = new Set<number>();
      for (let i = 0; i < n; i++) if (!seen.has(i)) seen.add(i);
    };
    expect((await growth(N, linear)).ratio).toBeLessThanOrEqual(LINEAR);
  });

  test('foldApplied: 4× the ops on one service cost at most ~4× the scans', async () => {
    const { result } = await countScans(() => foldThreePasses(N));
    expect(result.get(serviceId(service))?.dests).toEqual([]);
    const g = await growth(N, foldThreePasses);
    expect(g.ratio).toBeLessThanOrEqual(LINEAR);
  });

  test('start, reload and stop through the in-memory table: 4× the reals cost at most ~4× the scans', async () => {
    const { result: applied } = await countScans(() => startReloadStop(N));
    expect(applied).toBe(N + 1 + 1 + (N + 1));
    const g = await growth(N, startReloadStop);
    expect(g.ratio).toBeLessThanOrEqual(LINEAR);
  });
});
