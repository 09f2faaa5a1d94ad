// Domain events of the director. The logger (src/observe/log/reconcile-log.ts), the status page and any
// metrics subscribe to these; nothing in reconcile/ or daemon/ formats a log line itself.

import type { Diagnostic } from '../model/config';
import type { FallbackAction } from './fallback-command';
import type { Op } from './ops';

/** What caused a reconciliation pass. */
export type PassPhase = 'start' | 'transition' | 'reload' | 'resync' | 'stop';

export type ReconcileEvent =
  | { readonly type: 'op-applied'; readonly phase: PassPhase; readonly op: Op }
  | { readonly type: 'op-failed'; readonly phase: PassPhase; readonly op: Op; readonly error: Error }
  | {
      readonly type: 'pass';
      readonly phase: PassPhase;
      readonly ops: number;
      readonly failed: number;
      readonly durationMs?: number;
      /**
       * Resync passes: the ops applied that the known table did not foresee, i.e. the kernel changed behind the
       * director's back (reconciler.ts). Absent when the known table did not cover every service.
       */
      readonly drift?: number;
    }
  | { readonly type: 'read-failed'; readonly phase: PassPhase; readonly error: Error }
  | {
      readonly type: 'fallback-command';
      readonly vid: string;
      readonly action: FallbackAction;
      readonly command: string;
    }
  | {
      readonly type: 'fallback-command-failed';
      readonly vid: string;
      readonly command: string;
      readonly reason: string;
    }
  | { readonly type: 'reloaded'; readonly file: string }
  | { readonly type: 'reload-rejected'; readonly file: string; readonly errors: readonly Diagnostic[] }
  | { readonly type: 'dry-run'; readonly operation: string };

export type ReconcileListener = (e: ReconcileEvent) => void;

export interface EventBus {
  emit(e: ReconcileEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: ReconcileListener): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<ReconcileListener>();
  return {
    emit: (e) => {
      for (const l of [...listeners]) {
        try {
          l(e);
        } catch {
          // a broken subscriber must not stop the director
        }
      }
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
}
