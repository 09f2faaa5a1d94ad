// What a new target list changes, decided without side effects: which targets keep their health state (same
// check, same thresholds, same forcing), which are forced up or down, and which check groups (one check run
// shared by every target with the same check key and interval, key.ts) are kept, new or gone.
import { checkKey, sameCheck } from './key';
import { UNKNOWN, type TargetState } from './state';
import type { CheckResult, CheckSpec, PoolTarget } from './types';

export interface TargetEntry {
  readonly target: PoolTarget;
  readonly key: string;
  /** groupKeyOf(key, the target's interval): the check group it belongs to. */
  readonly groupKey: string;
  state: TargetState;
  last?: CheckResult;
}

/** A check group the new list wants: its check, its interval and the targets it serves. */
export interface WantedGroup {
  readonly spec: CheckSpec;
  readonly key: string;
  readonly intervalMs: number;
  readonly ids: string[];
}

export interface TargetDiff {
  /** The new target table (kept state carried over, the rest UNKNOWN). */
  readonly entries: Map<string, TargetEntry>;
  /** Targets forced up or down (no check runs for them), in list order. */
  readonly forced: readonly { id: string; up: boolean; reason: string }[];
  /** Groups by group key (`interval#checkKey`), in first-seen order. */
  readonly wanted: ReadonlyMap<string, WantedGroup>;
}

export function groupKeyOf(key: string, intervalMs: number): string {
  return `${intervalMs}#${key}`;
}

export function diffTargets(old: ReadonlyMap<string, TargetEntry>, next: readonly PoolTarget[]): TargetDiff {
  const entries = new Map<string, TargetEntry>();
  const forced: { id: string; up: boolean; reason: string }[] = [];
  const wanted = new Map<string, WantedGroup>();
  for (const target of next) {
    const prev = old.get(target.id);
    // The very same target (targetLister hands back those of an unchanged virtual): everything is kept.
    const entry = prev !== undefined && prev.target === target ? prev : changedEntry(prev, target);
    entries.set(target.id, entry);
    if (target.forced !== undefined) {
      forced.push({
        id: target.id,
        up: target.forced === 'up',
        reason: `forced ${target.forced} (${target.spec.checktype.kind})`,
      });
      continue;
    }
    const group = wanted.get(entry.groupKey);
    if (group !== undefined) group.ids.push(target.id);
    else
      wanted.set(entry.groupKey, {
        spec: target.spec,
        key: entry.key,
        intervalMs: target.intervalMs,
        ids: [target.id],
      });
  }
  return { entries, forced, wanted };
}

/** A new or changed target's entry: its health state kept when its check, thresholds and forcing are the same. */
export function changedEntry(prev: TargetEntry | undefined, target: PoolTarget): TargetEntry {
  // Most targets of a reload keep their check: reuse its key rather than build it again.
  const key = prev !== undefined && sameCheck(prev.target.spec, target.spec) ? prev.key : checkKey(target.spec);
  const same =
    prev !== undefined &&
    prev.key === key &&
    prev.target.failurecount === target.failurecount &&
    prev.target.successcount === target.successcount &&
    prev.target.forced === target.forced;
  return {
    target,
    key,
    groupKey: groupKeyOf(key, target.intervalMs),
    state: same ? prev.state : UNKNOWN,
    last: same ? prev.last : undefined,
  };
}

/** Which of the `existing` groups go, and which wanted ones are new. */
export function diffGroups(
  existing: Iterable<string>,
  wanted: ReadonlyMap<string, WantedGroup>,
): { gone: string[]; fresh: string[] } {
  const have = new Set(existing);
  return {
    gone: [...have].filter((gk) => !wanted.has(gk)),
    fresh: [...wanted.keys()].filter((gk) => !have.has(gk)),
  };
}
