// Adapts the director's domain events (src/reconcile/events.ts) to what alerts need (alerts/events.ts): each
// applied destination op becomes a ServerChange with the log line as its text and the configured virtual
// service it belongs to (for emailalert, emailalertstatus, smtp, servicename, comment).

import type { Config, VirtualService } from '../../model/config';
import type { ServiceKey } from '../../ipvs/types';
import { opMessage } from '../../observe/log/director-log';
import type { Op } from '../../reconcile/ops';
import type { ServerChange, ServerChangeKind } from '../alerts/events';

function matches(v: VirtualService, k: ServiceKey): boolean {
  if (v.family !== k.family) return false;
  if ('fwmark' in k) return v.fwmark === k.fwmark;
  return v.fwmark === undefined && v.protocol === k.protocol && v.address === k.address && v.port === k.port;
}

function changeKind(op: Op): ServerChangeKind | undefined {
  switch (op.kind) {
    case 'add-dest':
    case 'edit-dest':
      if (op.why === 'quiesce') return 'quiescent';
      if (op.why === 'readd') return 'readd-quiescent';
      if (op.why === 'up') return op.kind === 'add-dest' || op.role === 'fallback' ? 'added' : 'restored';
      return undefined;
    case 'delete-dest':
      return op.why === 'purge' || op.why === 'stray' ? 'purged' : 'deleted';
    default:
      return undefined;
  }
}

/** The ServerChange for one applied op, or undefined when the op is not about a server. */
export function serverChangeOf(op: Op, phase: 'start' | 'stop', config: Config): ServerChange | undefined {
  if (op.kind !== 'add-dest' && op.kind !== 'edit-dest' && op.kind !== 'delete-dest') return undefined;
  const kind = changeKind(op);
  if (kind === undefined) return undefined;
  const key: ServiceKey = op.kind === 'delete-dest' ? op.key : op.service;
  const virtual = config.virtuals.find((v) => matches(v, key));
  if (virtual === undefined) return undefined;
  return {
    kind,
    virtual,
    server: { address: op.dest.address, port: op.dest.port },
    fallback: op.role === 'fallback',
    message: opMessage(op, phase),
  };
}
