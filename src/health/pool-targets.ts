// The pool's bookkeeping (pool.ts): the target table (id → entry with its health state) and the check groups
// (one check run per group, shared by its targets: key.ts). A new target list is applied by a full diff
// (target-diff.ts), or, when it holds the same ids in the same order and every changed target stays in its
// check group, by replacing only the changed entries: a reload at 37,205 reals with one virtual changed
// touches 16 entries instead of rebuilding the table and its 37,205 groups. Both ways give the same table.
import { changedEntry, diffGroups, diffTargets, type TargetEntry, type WantedGroup } from './target-diff';
import type { CheckSpec, PoolTarget } from './types';

/** A check group: its check, its interval, its targets, and what the scheduler keeps on it (pool.ts). */
export interface Group {
  readonly key: string;
  readonly spec: CheckSpec;
  readonly intervalMs: number;
  ids: string[];
  due: number;
  /** Set while the first run is pending: when the second run is due (its spread slot, schedule.ts). */
  phaseAt?: number;
  alive: boolean;
  connectsLeft: number;
  running?: { readonly controller: AbortController; readonly done: Promise<void> };
}

export interface TargetsApplied {
  /** Targets forced up or down (no check runs for them), in list order. */
  readonly forced: readonly { id: string; up: boolean; reason: string }[];
  /** New groups with their group keys, in first-seen order (already in `groups`). */
  readonly made: readonly (readonly [string, Group])[];
}

export interface PoolTargets {
  readonly entries: () => ReadonlyMap<string, TargetEntry>;
  /** By group key. */
  readonly groups: Map<string, Group>;
  apply(next: readonly PoolTarget[]): TargetsApplied;
}

const forcedOf = (t: PoolTarget): { id: string; up: boolean; reason: string } => ({
  id: t.id,
  up: t.forced === 'up',
  reason: `forced ${t.forced} (${t.spec.checktype.kind})`,
});

export function createPoolTargets(): PoolTargets {
  let entries = new Map<string, TargetEntry>();
  let list: readonly PoolTarget[] = [];
  const groups = new Map<string, Group>();

  /** The changed entries, when `next` only changes targets in place (same ids, same order, same groups). */
  const inPlace = (next: readonly PoolTarget[]): TargetEntry[] | undefined => {
    if (next.length !== list.length) return undefined;
    const changed: TargetEntry[] = [];
    for (let i = 0; i < next.length; i += 1) {
      const target = next[i] as PoolTarget;
      const before = list[i] as PoolTarget;
      if (target === before) continue;
      const prev = entries.get(target.id);
      // Another id, or an id listed twice (its entry is another position's), or forcing: the full diff decides.
      if (target.id !== before.id || prev?.target !== before) return undefined;
      if (target.forced !== undefined || before.forced !== undefined) return undefined;
      const entry = changedEntry(prev, target);
      if (entry.groupKey !== prev.groupKey) return undefined;
      changed.push(entry);
    }
    return changed;
  };

  const apply = (next: readonly PoolTarget[]): TargetsApplied => {
    const changed = inPlace(next);
    list = next;
    if (changed !== undefined) {
      for (const entry of changed) entries.set(entry.target.id, entry);
      const forced = next.filter((t) => t.forced !== undefined).map(forcedOf);
      return { forced, made: [] };
    }
    const diff = diffTargets(entries, next);
    entries = diff.entries;
    const { gone, fresh } = diffGroups(groups.keys(), diff.wanted);
    for (const gk of gone) {
      const group = groups.get(gk) as Group;
      group.alive = false;
      group.running?.controller.abort();
      groups.delete(gk);
    }
    for (const [gk, want] of diff.wanted) {
      const existing = groups.get(gk);
      if (existing !== undefined) existing.ids = want.ids;
    }
    const made = fresh.map((gk): [string, Group] => {
      const want = diff.wanted.get(gk) as WantedGroup;
      const group: Group = {
        key: want.key,
        spec: want.spec,
        intervalMs: want.intervalMs,
        ids: want.ids,
        due: 0,
        alive: true,
        connectsLeft: 0,
      };
      groups.set(gk, group);
      return [gk, group];
    });
    return { forced: diff.forced, made };
  };

  return { entries: () => entries, groups, apply };
}
