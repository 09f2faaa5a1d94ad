// Operator overrides of real servers, set from the status page or its JSON API:
//   drain        the real server stays in the table at weight 0: it keeps its established connections and
//                gets no new ones (ipvsadm -e ... -w 0), whatever its health; the fallback does not take over
//   maintenance  the same as a maintenancedir flag file (docs/behaviour.md §4.7): the server is forced down without
//                running its check (PoolTarget.forced = 'down'), so quiescent decides weight 0 or removal
// A reload keeps them for targets that remain. The daemon keeps them on disk too (override-store.ts), so a
// restart restores them: an operator's change goes through `change`, which persists the next state first and
// applies it only once that succeeded (changes are taken one at a time, in order); `set` and `retain` change
// memory at once and tell `onChange`.
// The director sees them through three decorators built here: its pool (isUp), its targets (forced) and its
// IPVS mapping (weight 0).

import type { PoolTarget } from '../../health/types';
import type { ResultTapPool } from '../metrics/result-tap';
import type { Config } from '../../model/config';
import { realTargetId, type IpvsMapping } from '../../reconcile/desired';
import { canonicalTargetId } from './target-id';

export const OVERRIDE_KINDS = ['drain', 'maintenance'] as const;
export type OverrideKind = (typeof OVERRIDE_KINDS)[number];

export interface OperatorOverrides {
  get(targetId: string): OverrideKind | undefined;
  /** Sets (kind) or clears (undefined) the override of a target; true when something changed. */
  set(targetId: string, kind: OverrideKind | undefined): boolean;
  /**
   * The same, persisted first: resolves true once the new state is saved and in force, false when nothing
   * was to change; rejects, changing nothing, when the save fails.
   */
  change(targetId: string, kind: OverrideKind | undefined): Promise<boolean>;
  all(): ReadonlyMap<string, OverrideKind>;
  /** Drops overrides of targets that are no longer configured. */
  retain(ids: ReadonlySet<string>): void;
  pool(base: ResultTapPool): ResultTapPool;
  targets(base: (c: Config) => readonly PoolTarget[]): (c: Config) => readonly PoolTarget[];
  mapping(base: IpvsMapping): IpvsMapping;
}

export interface OverridesOptions {
  /** Overrides to start from (restored from disk). */
  readonly initial?: ReadonlyMap<string, OverrideKind>;
  /** Called after every change by `set` or `retain` with the whole state. */
  readonly onChange?: (state: ReadonlyMap<string, OverrideKind>) => void;
  /** Makes the next state of a `change` durable; a rejection leaves the state as it was. */
  readonly persist?: (next: ReadonlyMap<string, OverrideKind>) => Promise<void>;
}

export function createOperatorOverrides(options: OverridesOptions = {}): OperatorOverrides {
  const state = new Map<string, OverrideKind>();
  for (const [id, kind] of options.initial ?? []) state.set(canonicalTargetId(id), kind);
  const changed = (): void => options.onChange?.(state);
  const get = (id: string): OverrideKind | undefined => state.get(canonicalTargetId(id));
  let changes: Promise<unknown> = Promise.resolve();
  const change = async (raw: string, kind: OverrideKind | undefined): Promise<boolean> => {
    const id = canonicalTargetId(raw);
    if (state.get(id) === kind) return false;
    const next = new Map(state);
    if (kind === undefined) next.delete(id);
    else next.set(id, kind);
    await options.persist?.(next);
    if (kind === undefined) state.delete(id);
    else state.set(id, kind);
    return true;
  };
  const o: OperatorOverrides = {
    get,
    set(raw, kind) {
      const id = canonicalTargetId(raw);
      if (state.get(id) === kind) return false;
      if (kind === undefined) state.delete(id);
      else state.set(id, kind);
      changed();
      return true;
    },
    change(raw, kind) {
      const result = changes.then(() => change(raw, kind));
      changes = result.catch(() => undefined);
      return result;
    },
    all: () => state,
    retain(ids) {
      const keep = new Set([...ids].map(canonicalTargetId));
      let dropped = false;
      for (const id of [...state.keys()]) {
        if (!keep.has(id)) {
          state.delete(id);
          dropped = true;
        }
      }
      if (dropped) changed();
    },
    pool: (base) => ({
      ...(base.onResult === undefined ? {} : { onResult: (l) => base.onResult?.(l) }),
      setTargets: (t) => base.setTargets(t),
      isUp: (id) => (get(id) === 'maintenance' ? false : base.isUp(id)),
      lastResult: (id) => base.lastResult(id),
      onTransitions: (l) => base.onTransitions(l),
      start: () => base.start(),
      stop: () => base.stop(),
    }),
    targets: (base) => (c) => base(c).map((t) => (get(t.id) === 'maintenance' ? { ...t, forced: 'down' as const } : t)),
    mapping: (base) => ({
      service: (v) => base.service(v),
      fallback: (v, f) => base.fallback(v, f),
      dest: (v, r, weight) => (get(realTargetId(v, r)) === 'drain' ? base.dest(v, r, 0) : base.dest(v, r, weight)),
    }),
  };
  return o;
}
