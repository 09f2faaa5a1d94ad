// Per-target check results from the health pool. The pool reports each finished check once per check key
// (CheckObservation: key, result), because targets with equal keys share one check; this tap fans the
// observation out to the target ids that received that result, and offers them as `onResult` (what the
// metrics expect, src/observe/metrics/result-tap.ts) and to the monitor file.

import { checkKey } from '../../health/key';
import type { CheckObservation } from '../../health/pool';
import type { CheckResult, HealthPoolApi, PoolTarget } from '../../health/types';

export type ResultListener = (id: string, result: CheckResult) => void;

export interface ResultTap {
  /** Give to createHealthPool as `onCheck`. */
  onCheck(observation: CheckObservation): void;
  /** Wraps the pool: remembers the targets by key, adds `onResult`. */
  wrap(pool: HealthPoolApi): HealthPoolApi & { onResult(listener: ResultListener): void };
}

export function createResultTap(): ResultTap {
  const listeners = new Set<ResultListener>();
  let byKey = new Map<string, string[]>();
  let pool: HealthPoolApi | undefined;
  return {
    onCheck(observation) {
      if (pool === undefined || listeners.size === 0) return;
      // The pool's group key is `<interval>#<check key>` today; match on the check key, and fall back to all
      // targets should that form change. Targets with the same check key but another interval run their own
      // check: the pool stored this result object only on the targets that shared this run.
      const hash = observation.key.indexOf('#');
      const ids =
        byKey.get(hash >= 0 ? observation.key.slice(hash + 1) : observation.key) ?? [...byKey.values()].flat();
      const p = pool;
      for (const id of ids) {
        if (p.lastResult(id) !== observation.result) continue;
        for (const l of listeners) l(id, observation.result);
      }
    },
    wrap(base) {
      pool = base;
      return {
        setTargets(targets: readonly PoolTarget[]) {
          const next = new Map<string, string[]>();
          for (const t of targets) {
            const k = checkKey(t.spec);
            const ids = next.get(k);
            if (ids === undefined) next.set(k, [t.id]);
            else ids.push(t.id);
          }
          byKey = next;
          base.setTargets(targets);
        },
        isUp: (id) => base.isUp(id),
        lastResult: (id) => base.lastResult(id),
        onTransitions: (l) => base.onTransitions(l),
        start: () => base.start(),
        stop: () => base.stop(),
        onResult: (l) => {
          listeners.add(l);
        },
      };
    },
  };
}
