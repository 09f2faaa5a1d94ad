// The reconciliation loop: read the kernel's entries for the owned services, compute the desired table,
// plan, apply, then run fallbackcommand for every virtual whose sorry state changed. A transition pass plans
// from the known table (known-table.ts: what the last passes read, with what they applied) when it knows
// every service it covers; start, reload, resync and stop passes always read. A resync's drift is what it
// applied beyond the plan the known table gave (events.ts `drift`). Passes never overlap:
// a pass asked for while one runs waits for it, and requests that pile up meanwhile merge into one pass.
// Triggers (wired by the director): each batch of health transitions (only the affected virtuals), reload,
// the periodic resync, and stop (which purges the cleanstop virtuals).

import type { IpvsClient, ServiceKey } from '../ipvs/types';
import type { Config, VirtualService } from '../model/config';
import { apply, type ApplyEvent, type ApplyResult } from './apply';
import { readActual } from './actual';
import { foldApplied } from './known-table';
import {
  desiredTable,
  type ActualService,
  type ActualTable,
  type DesiredService,
  type HealthOf,
  type IpvsMapping,
} from './desired';
import { serviceOf, type ShapeCache } from './shapes';
import type { EventBus, PassPhase } from './events';
import { fallbackTransition, type FallbackAction } from './fallback-command';
import { serviceId, serviceLabel } from './keys';
import type { Op } from './ops';
import { plan, type RemovedService } from './plan';
import { opKey, opServiceId } from './op-key';

export interface ReconcilerDeps {
  readonly client: IpvsClient;
  readonly map: IpvsMapping;
  readonly health: HealthOf;
  readonly bus: EventBus;
  readonly runFallbackCommand: (v: VirtualService, command: string, action: FallbackAction) => void;
  /** Clock for pass durations (ms); default performance.now. */
  readonly now?: () => number;
}

export interface PassOutcome {
  readonly phase: PassPhase;
  readonly ops: readonly Op[];
  readonly result: ApplyResult;
}

/** What the last pass that covered a virtual decided for it, and what the kernel held before it. */
export interface VirtualView {
  readonly desired: DesiredService;
  readonly actual: ActualService | undefined;
}

export interface Reconciler {
  config(): Config;
  /** Switch to a new config; owned services it no longer has are removed by the next pass. */
  setConfig(next: Config): void;
  /** One pass over all virtuals, or only those whose vid is in `only`. */
  sync(phase: PassPhase, only?: ReadonlySet<string>): Promise<PassOutcome>;
  /** Purge the services of these virtuals (cleanstop) and run their fallbackcommand `stop`. */
  purge(virtuals: readonly VirtualService[]): Promise<PassOutcome>;
  fallbackState(): ReadonlyMap<string, FallbackAction>;
  /** Per vid, from the last pass that covered it. */
  views(): ReadonlyMap<string, VirtualView>;
  lastOutcome(): PassOutcome | undefined;
}

const EMPTY: ApplyResult = { applied: [], failed: [] };

export function createReconciler(deps: ReconcilerDeps, initial: Config): Reconciler {
  const now = deps.now ?? (() => performance.now());
  let config = initial;
  let removed: RemovedService[] = [];
  const fallback = new Map<string, FallbackAction>();
  const views = new Map<string, VirtualView>();
  let lastOutcome: PassOutcome | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let queued: { phase: PassPhase; only: Set<string> | undefined; promise: Promise<PassOutcome> } | undefined;
  /** The kernel's entries as of the last pass that covered them (known-table.ts); transition passes plan from it. */
  const known = new Map<string, ActualService>();
  /** Each virtual's kernel entries, ids and labels, kept while the virtual is (shapes.ts ShapeCache). */
  const shapes: ShapeCache = new WeakMap();

  const serialize = <T>(work: () => Promise<T>): Promise<T> => {
    const p = chain.then(work, work);
    chain = p.catch(() => undefined);
    return p;
  };

  const forward =
    (phase: PassPhase) =>
    (e: ApplyEvent): void =>
      deps.bus.emit(
        e.type === 'applied'
          ? { type: 'op-applied', phase, op: e.op }
          : { type: 'op-failed', phase, op: e.op, error: e.error },
      );

  // A pass never rejects: whatever goes wrong is reported as an event and the next pass starts afresh.
  const guarded = (phase: PassPhase, work: () => Promise<PassOutcome>) => async (): Promise<PassOutcome> => {
    try {
      return await work();
    } catch (e) {
      deps.bus.emit({ type: 'read-failed', phase, error: e instanceof Error ? e : new Error(String(e)) });
      return { phase, ops: [], result: EMPTY };
    }
  };

  /** Reads the kernel's entries of `owned` and makes them the known table's; a failed read forgets it all. */
  const read = async (owned: readonly ServiceKey[]): Promise<ActualTable> => {
    try {
      const actual = await readActual(deps.client, owned);
      for (const k of owned) {
        const id = serviceId(k);
        const entry = actual.get(id);
        if (entry === undefined) known.delete(id);
        else known.set(id, entry);
      }
      return actual;
    } catch (e) {
      known.clear();
      throw e;
    }
  };

  /** A transition pass plans from the known table when it knows every service it covers. */
  const fromKnown = (keys: readonly ServiceKey[]): ActualTable | undefined => {
    const table = new Map<string, ActualService>();
    for (const k of keys) {
      const id = serviceId(k);
      const entry = known.get(id);
      if (entry === undefined) return undefined;
      table.set(id, entry);
    }
    return table;
  };

  /** The ops (opKey) a pass over `virtuals` makes against `table`, the known table's entries of their services. */
  const foreseenOps = (virtuals: readonly VirtualService[], table: ActualTable): Set<string> => {
    const desired = desiredTable({ ...config, virtuals }, deps.health, table, deps.map, shapes);
    return new Set(plan(desired, table).map(opKey));
  };

  /**
   * The applied ops the known table did not foresee. Ops on services no longer configured (a delete that failed
   * at reload, retried) are not drift either.
   */
  const driftOf = (result: ApplyResult, keys: readonly ServiceKey[], foreseen: ReadonlySet<string>): number => {
    const covered = new Set(keys.map(serviceId));
    return result.applied.filter((op) => covered.has(opServiceId(op)) && !foreseen.has(opKey(op))).length;
  };

  const runPass = async (phase: PassPhase, only: ReadonlySet<string> | undefined): Promise<PassOutcome> => {
    const t0 = now();
    const virtuals = only === undefined ? config.virtuals : config.virtuals.filter((v) => only.has(v.id));
    const keys = virtuals.map((v) => serviceOf(v, deps.map, shapes).service);
    const owned: ServiceKey[] = [...keys, ...removed.map((r) => r.key)];
    // A resync also plans from what the known table said the kernel held before the read: the ops it would
    // make anyway (ups held by the transition spacing) are not drift.
    const before = phase === 'resync' ? fromKnown(keys) : undefined;
    let actual: ActualTable;
    try {
      actual = (phase === 'transition' ? fromKnown(keys) : undefined) ?? (await read(owned));
    } catch (e) {
      deps.bus.emit({ type: 'read-failed', phase, error: e as Error });
      return { phase, ops: [], result: EMPTY };
    }
    const foreseen = before === undefined ? undefined : foreseenOps(virtuals, before);
    const desired = desiredTable({ ...config, virtuals }, deps.health, actual, deps.map, shapes);
    const ops = plan(desired, actual, only === undefined ? removed : []);
    const result = await apply(ops, deps.client, forward(phase));
    foldApplied(known, result);
    if (only === undefined) {
      const failedIds = new Set(
        result.failed.flatMap((f) => (f.op.kind === 'delete-service' ? [serviceId(f.op.key)] : [])),
      );
      removed = removed.filter((r) => failedIds.has(serviceId(r.key)));
    }
    const byVid = new Map(virtuals.map((v) => [v.id, v]));
    for (const s of desired.services) {
      const v = byVid.get(s.vid);
      if (v?.fallbackcommand === undefined) continue;
      const action = fallbackTransition(fallback.get(v.id), s.fallbackActive);
      if (action === undefined) continue;
      fallback.set(v.id, action);
      deps.runFallbackCommand(v, v.fallbackcommand, action);
    }
    const outcome: PassOutcome = { phase, ops, result };
    for (const s of desired.services) views.set(s.vid, { desired: s, actual: actual.get(s.id) });
    lastOutcome = outcome;
    const drift = foreseen === undefined ? {} : { drift: driftOf(result, keys, foreseen) };
    deps.bus.emit({
      type: 'pass',
      phase,
      ops: ops.length,
      failed: result.failed.length,
      durationMs: now() - t0,
      ...drift,
    });
    return outcome;
  };

  return {
    config: () => config,
    setConfig: (next) => {
      const keep = new Set(next.virtuals.map((v) => serviceOf(v, deps.map, shapes).id));
      for (const v of config.virtuals) {
        const { service: key, id } = serviceOf(v, deps.map, shapes);
        if (!keep.has(id)) removed.push({ key, label: serviceLabel(key), why: 'removed' });
      }
      removed = removed.filter((r) => !keep.has(serviceId(r.key)));
      const vids = new Set(next.virtuals.map((v) => v.id));
      for (const vid of [...fallback.keys()]) if (!vids.has(vid)) fallback.delete(vid);
      for (const vid of [...views.keys()]) if (!vids.has(vid)) views.delete(vid);
      config = next;
    },
    sync: (phase, only) => {
      // Merge into a pass that is queued but not started yet (a full pass covers any subset).
      if (queued !== undefined) {
        if (queued.only !== undefined) {
          if (only === undefined) {
            queued.only = undefined;
            queued.phase = phase; // a full pass takes the phase of the request that made it full
          } else for (const vid of only) queued.only.add(vid);
        }
        return queued.promise;
      }
      const entry = {
        phase,
        only: only === undefined ? undefined : new Set(only),
        promise: undefined as unknown as Promise<PassOutcome>,
      };
      entry.promise = serialize(() => {
        if (queued === entry) queued = undefined;
        return guarded(entry.phase, () => runPass(entry.phase, entry.only))();
      });
      queued = entry;
      return entry.promise;
    },
    purge: (virtuals) =>
      serialize(
        guarded('stop', async () => {
          const t0 = now();
          const targets: RemovedService[] = virtuals.map((v) => {
            const key = deps.map.service(v);
            return { key, label: serviceLabel(key), why: 'stop' };
          });
          let actual: ActualTable;
          try {
            actual = await read(targets.map((t) => t.key));
          } catch (e) {
            deps.bus.emit({ type: 'read-failed', phase: 'stop', error: e as Error });
            return { phase: 'stop', ops: [], result: EMPTY };
          }
          const ops = plan({ services: [] }, actual, targets);
          const result = await apply(ops, deps.client, forward('stop'));
          foldApplied(known, result);
          for (const v of virtuals) {
            if (v.fallbackcommand !== undefined && fallback.get(v.id) === 'start') {
              fallback.set(v.id, 'stop');
              deps.runFallbackCommand(v, v.fallbackcommand, 'stop');
            }
          }
          deps.bus.emit({
            type: 'pass',
            phase: 'stop',
            ops: ops.length,
            failed: result.failed.length,
            durationMs: now() - t0,
          });
          return { phase: 'stop', ops, result };
        }),
      ),
    fallbackState: () => fallback,
    views: () => views,
    lastOutcome: () => lastOutcome,
  };
}
