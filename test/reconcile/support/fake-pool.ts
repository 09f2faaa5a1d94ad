// A health pool driven by the test: set a target's health and deliver a batch, exactly when the test says.
import type { CheckResult, HealthPoolApi, PoolTarget, Transition } from '../../../src/health/types';

export interface FakePool extends HealthPoolApi {
  readonly targets: PoolTarget[];
  started: boolean;
  stopped: number;
  /** Set states and deliver them as one batch of transitions (only real changes are delivered). */
  report(states: Record<string, boolean>): void;
}

export function createFakePool(initial: Record<string, boolean> = {}): FakePool {
  const state = new Map<string, boolean>(Object.entries(initial));
  const listeners: Array<(b: readonly Transition[]) => void> = [];
  const pool: FakePool = {
    targets: [],
    started: false,
    stopped: 0,
    setTargets(t) {
      pool.targets.splice(0, pool.targets.length, ...t);
      const ids = new Set(t.map((x) => x.id));
      for (const id of [...state.keys()]) if (!ids.has(id)) state.delete(id);
    },
    isUp: (id) => state.get(id),
    lastResult: (id): CheckResult | undefined =>
      state.has(id) ? { ok: state.get(id) === true, reason: state.get(id) ? 'up' : 'down', durationMs: 1 } : undefined,
    onTransitions: (l) => void listeners.push(l),
    start: () => void (pool.started = true),
    stop: async () => void pool.stopped++,
    report(states) {
      const batch: Transition[] = [];
      for (const [id, up] of Object.entries(states)) {
        if (state.get(id) !== up) batch.push({ id, up, reason: up ? 'up' : 'down', at: 0 });
        state.set(id, up);
      }
      if (batch.length > 0) for (const l of listeners) l(batch);
    },
  };
  return pool;
}
