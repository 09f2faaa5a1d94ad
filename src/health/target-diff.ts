// What a new target list changes, decided without side effects: which targets keep their health state (same
// check, same thresholds, same forcing), which are forced up or down, and which check groups (one check run
// shared by every target with the same check key and interval, key.ts) are kept, new or gone.
import { checkKey, sameCheck } from './key';
import { UNKNOWN, type TargetState } from './state';
import type { CheckResult, CheckSpec, PoolTarget } from './types';

export interface TargetEntry {
  readonly target: PoolTarget;
  readonly key: string;
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
    // Most targets of a reload keep their check: reuse its key rather than build it again.
    const key = prev !== undefined && sameCheck(prev.target.spec, target.spec) ? prev.key : checkKey(target.spec);
    const same =
      prev !== undefined &&
      prev.key === key &&
      prev.target.failurecount === target.failurecount &&
      prev.target.successcount === target.successcount &&
      prev.target.forced === target.forced;
    entries.set(target.id, { target, key, state: same ? prev.state : UNKNOWN, last: same ? prev.last : undefined });
    if (target.forced !== undefined) {
      forced.push({
        id: target.id,
        up: target.forced === 'up',
        reason: `forced ${target.forced} (${target.spec.checktype.kind})`,
      });
      continue;
    }
    const gk = groupKeyOf(key, target.intervalMs);
    const group = wanted.get(gk) ?? { spec: target.spec, key, intervalMs: target.intervalMs, ids: [] };
    group.ids.push(target.id);
    wanted.set(gk, group);
  }
  return { entries, forced, wanted };
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
