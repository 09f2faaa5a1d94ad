// Feeding the event-driven metrics: the director's domain events (src/reconcile/events.ts), the pool's
// transition batches and, where the pool offers them, its individual check results. The checkers never see
// the metrics library; this is the only place that turns events into counter increments.

import type { CheckResult, Transition } from '../../health/types';
import type { ReconcileEvent } from '../../reconcile/events';
import type { EventCounts } from './event-counts';
import { reasonClass } from './reason-class';

/** The labels of one health target (see target-labels.ts). */
export interface TargetLabels {
  readonly virtual: string;
  readonly real: string;
  readonly check: string;
  readonly service: string;
}

export function errnoLabel(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,40}$/.test(code) ? code : 'unknown';
}

/** `now` (ms) is read only for the events that keep a time (a reload): a pass at start-up sends one per op. */
export function recordReconcileEvent(m: EventCounts, e: ReconcileEvent, now: () => number): void {
  switch (e.type) {
    case 'op-applied':
      m.ipvsOps.inc({ operation: e.op.kind });
      return;
    case 'op-failed':
      m.ipvsOpFailures.inc({ operation: e.op.kind, errno: errnoLabel(e.error) });
      return;
    case 'read-failed':
      m.ipvsOpFailures.inc({ operation: 'read-table', errno: errnoLabel(e.error) });
      return;
    case 'pass': {
      m.reconcilePasses.inc({ phase: e.phase });
      const ms = (e as { durationMs?: number }).durationMs;
      if (typeof ms === 'number' && ms >= 0) m.reconcileDuration.observe({ phase: e.phase }, ms / 1000);
      if (e.phase === 'resync') {
        const repaired = e.drift ?? e.ops - e.failed;
        if (repaired > 0) m.driftRepairs.inc({}, repaired);
      }
      return;
    }
    case 'reloaded':
      m.reloads.inc({ result: 'success' });
      m.lastReload.set(now() / 1000);
      return;
    case 'reload-rejected':
      m.reloads.inc({ result: 'failure' });
      return;
    default:
      return;
  }
}

export function recordTransitions(
  m: EventCounts,
  batch: readonly Transition[],
  labels: (id: string) => TargetLabels | undefined,
): void {
  for (const t of batch) {
    const l = labels(t.id);
    if (l !== undefined) m.transitions.inc({ virtual: l.virtual, real: l.real, to: t.up ? 'up' : 'down' });
  }
}

export function recordCheckResult(
  m: EventCounts,
  id: string,
  r: CheckResult,
  labels: (id: string) => TargetLabels | undefined,
): void {
  const l = labels(id);
  if (l === undefined) return;
  const outcome = r.ok ? 'success' : 'failure';
  m.checkResults.inc({ check: l.check, service: l.service, outcome, reason: reasonClass(r.ok, r.reason) });
  if (Number.isFinite(r.durationMs) && r.durationMs >= 0)
    m.checkDuration.observe({ check: l.check, service: l.service }, r.durationMs / 1000);
}
