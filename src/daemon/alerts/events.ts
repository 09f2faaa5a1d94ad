// The director events that alerts and the monitor file subscribe to. Defined here until the director
// publishes its own; the director engineer's emitter only has to satisfy this shape.

import type { RealServer, VirtualService } from '../../model/config';

/**
 * Real-server changes that ldirectord mails about (docs/behaviour.md §4.9). `message` is the log line the director
 * wrote for it, e.g. `Deleted real server: 10.0.0.5:80 (10.0.0.1:80)`; it becomes the mail subject.
 */
export type ServerChangeKind = 'added' | 'restored' | 'deleted' | 'quiescent' | 'readd-quiescent' | 'purged';

export interface ServerChange {
  readonly kind: ServerChangeKind;
  readonly virtual: VirtualService;
  /** The real server or the sorry server (address without brackets). */
  readonly server: { readonly address: string; readonly port: number };
  readonly fallback: boolean;
  readonly message: string;
}

/** One finished check of one real server, for every virtual service that contains it (docs/behaviour.md §3.4). */
export interface CheckResultEvent {
  readonly virtuals: readonly VirtualService[];
  readonly real: RealServer;
  readonly ok: boolean;
  readonly reason: string;
}

export interface ServerEvents {
  onServerChange(listener: (change: ServerChange) => void): () => void;
  onCheckResult(listener: (result: CheckResultEvent) => void): () => void;
}

/** The emitting side, handed to the director starter. */
export interface ServerEventSink {
  emitServerChange(change: ServerChange): void;
  emitCheckResult(result: CheckResultEvent): void;
}

/** The hub the daemon creates before the director starts (so the start's own changes are seen). */
export function createServerEvents(): ServerEvents & ServerEventSink {
  const changes = new Set<(c: ServerChange) => void>();
  const checks = new Set<(r: CheckResultEvent) => void>();
  return {
    onServerChange(l) {
      changes.add(l);
      return () => {
        changes.delete(l);
      };
    },
    onCheckResult(l) {
      checks.add(l);
      return () => {
        checks.delete(l);
      };
    },
    emitServerChange(c) {
      for (const l of [...changes]) l(c);
    },
    emitCheckResult(r) {
      for (const l of [...checks]) l(r);
    },
  };
}
