// The operations a plan is made of. Each carries what apply() needs to call the client and what the log
// needs to say (the V/R labels and why the op exists), so apply() never re-derives intent.

import type { DestKey, IpvsDest, IpvsService, ServiceKey } from '../ipvs/types';

export type DestRole = 'real' | 'fallback';

/**
 * Why a destination op exists (decides the log line):
 *   up          a healthy real / the active fallback enters or is corrected   → Added / Restored
 *   quiesce     a failed real with quiescent=yes goes to weight 0             → Quiescent
 *   readd       a quiesced real missing from the table, readdquiescent=yes   → Readd Quiescent
 *   down        a failed real (quiescent=no) or the fallback leaves          → Deleted
 *   stray       in an owned service but not in the configuration             → Purged (start)
 *   purge       its service is being removed (stop, or dropped on reload)    → Purged (stop|start)
 */
export type DestWhy = 'up' | 'quiesce' | 'readd' | 'down' | 'stray' | 'purge';
export type ServiceWhy = 'configured' | 'removed' | 'stop';

export type Op =
  | { readonly kind: 'add-service'; readonly service: IpvsService; readonly label: string }
  | { readonly kind: 'edit-service'; readonly service: IpvsService; readonly label: string }
  | { readonly kind: 'delete-service'; readonly key: ServiceKey; readonly label: string; readonly why: ServiceWhy }
  | {
      readonly kind: 'add-dest' | 'edit-dest';
      readonly service: IpvsService;
      readonly dest: IpvsDest;
      readonly role: DestRole;
      readonly why: DestWhy;
      readonly label: string;
      readonly destLabel: string;
    }
  | {
      readonly kind: 'delete-dest';
      readonly key: ServiceKey;
      readonly dest: DestKey;
      readonly role: DestRole | 'unknown';
      readonly why: DestWhy;
      readonly label: string;
      readonly destLabel: string;
    };

/**
 * The ordering stage of an op. plan() sorts by it and apply() runs the stages one after another; the ops of
 * one stage are independent of each other (a plan has at most one op per service and per dest), so apply()
 * may issue them together.
 *   0 services are added or edited before any of their dests are touched;
 *   1 "make" ops (a dest added or edited to a weight > 0) come before
 *   2 "break" ops (a dest deleted, or set/added at weight 0), so a virtual never passes through an empty
 *     state: a recovering real enters before the fallback leaves, the fallback enters before the last real
 *     leaves;
 *   3 the dests of a service being removed are deleted before
 *   4 the service itself.
 */
export function stageOf(op: Op): number {
  switch (op.kind) {
    case 'add-service':
    case 'edit-service':
      return 0;
    case 'add-dest':
    case 'edit-dest':
      return op.dest.weight > 0 ? 1 : 2;
    case 'delete-dest':
      return op.why === 'purge' ? 3 : 2;
    case 'delete-service':
      return 4;
  }
}

/** A short text of an op, for dry-run logs and test failure output: `add-dest 10.0.0.5:80 (10.0.0.1:80) w=5`. */
export function describeOp(op: Op): string {
  switch (op.kind) {
    case 'add-service':
    case 'edit-service':
      return `${op.kind} ${op.label} ${op.service.scheduler}`;
    case 'delete-service':
      return `${op.kind} ${op.label}`;
    case 'add-dest':
    case 'edit-dest':
      return `${op.kind} ${op.destLabel} (${op.label}) w=${op.dest.weight}`;
    case 'delete-dest':
      return `${op.kind} ${op.destLabel} (${op.label})`;
  }
}
