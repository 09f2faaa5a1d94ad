// Transitions are delivered in batches: every transition produced in one turn (a tick's results, a
// setTargets) goes to the listeners together, in a microtask, so the director makes one reconcile pass of
// them. A listener's bug must not stop health checking; the daemon's listener logs its own errors.
import type { Transition } from './types';

export interface TransitionBatch {
  push(transition: Transition): void;
  subscribe(listener: (batch: readonly Transition[]) => void): void;
}

export function createTransitionBatch(): TransitionBatch {
  const listeners: ((batch: readonly Transition[]) => void)[] = [];
  let pending: Transition[] = [];
  let queued = false;
  const flush = (): void => {
    queued = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    for (const listener of listeners) {
      try {
        listener(batch);
      } catch {
        // see the file comment
      }
    }
  };
  return {
    push: (transition) => {
      pending.push(transition);
      if (!queued) {
        queued = true;
        queueMicrotask(flush);
      }
    },
    subscribe: (listener) => {
      listeners.push(listener);
    },
  };
}
