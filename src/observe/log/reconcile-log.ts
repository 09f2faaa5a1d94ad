// Subscribes a Logger to the director's domain events and writes the catalogue's lines (messages.ts).

import { formatDiagnostic } from '../../config/load';
import type { ReconcileEvent, EventBus } from '../../reconcile/events';
import type { Op } from '../../reconcile/ops';
import type { Logger } from './logger';
import { msg } from './messages';

export function attachReconcileLog(bus: EventBus, logger: Logger): () => void {
  return bus.subscribe((e) => logReconcileEvent(e, logger));
}

export function logReconcileEvent(e: ReconcileEvent, logger: Logger): void {
  switch (e.type) {
    case 'op-applied':
      logger.info(opMessage(e.op, e.phase === 'stop' ? 'stop' : 'start'));
      // NEW: why the fallback comes in (the catalogue line alone does not say).
      if (e.op.kind === 'add-dest' && e.op.role === 'fallback')
        logger.info(msg.fallbackWhy(e.op.destLabel, serviceLabel(e.op)));
      return;
    case 'op-failed':
      return logger.error(msg.ipvsFailed(opSubject(e.op), e.error.message));
    case 'read-failed':
      return logger.error(msg.ipvsFailed('table read', e.error.message));
    case 'pass':
      if (e.phase === 'resync' && (e.drift ?? e.ops) > 0) logger.info(msg.resyncRepaired(e.drift ?? e.ops));
      return logger.debug(
        2,
        `reconcile ${e.phase}: ${e.ops} operation(s), ${e.failed} failed${e.durationMs !== undefined ? ` in ${e.durationMs.toFixed(0)} ms` : ''}`,
      );
    case 'fallback-command':
      return logger.debug(1, `fallbackcommand ${e.vid}: ${e.command} ${e.action}`);
    case 'fallback-command-failed':
      return logger.error(msg.systemFailed(e.command, e.reason));
    case 'reloaded':
      return logger.debug(1, `reloaded configuration ${e.file}`);
    case 'reload-rejected':
      for (const d of e.errors) logger.error(formatDiagnostic(d));
      return logger.error(msg.reloadRejected(e.file, e.errors.length));
    case 'dry-run':
      return logger.info(`dry-run: ${e.operation}`);
  }
}

/** V of the catalogue: `VIP:VPORT`, or `fwmark N` for a firewall-mark service (the Perl ldirectord: bare N). */
export function serviceLabel(op: Op): string {
  const key = op.kind === 'delete-service' || op.kind === 'delete-dest' ? op.key : op.service;
  return 'fwmark' in key ? `fwmark ${key.fwmark}` : op.label;
}

export function opMessage(op: Op, phase: 'start' | 'stop'): string {
  const V = serviceLabel(op);
  switch (op.kind) {
    case 'add-service':
      return msg.addedVirtual(V);
    case 'edit-service':
      return msg.changedVirtual(V);
    case 'delete-service':
      return msg.purgedVirtual(op.why === 'stop' ? 'stop' : 'start', V);
    case 'add-dest':
    case 'edit-dest': {
      const R = op.destLabel;
      if (op.role === 'fallback') return msg.addedFallback(R, V);
      if (op.why === 'quiesce') return msg.quiescentReal(R, V);
      if (op.why === 'readd') return msg.readdQuiescentReal(R, V);
      return op.kind === 'add-dest' ? msg.addedReal(R, V, op.dest.weight) : msg.restoredReal(R, V, op.dest.weight);
    }
    case 'delete-dest': {
      const R = op.destLabel;
      if (op.why === 'purge') return msg.purgedReal(phase, R, V);
      if (op.why === 'stray') return msg.purgedReal('start', R, V);
      return op.role === 'fallback' ? msg.deletedFallback(R, V) : msg.deletedReal(R, V);
    }
  }
}

function opSubject(op: Op): string {
  switch (op.kind) {
    case 'add-service':
    case 'edit-service':
    case 'delete-service':
      return `${op.kind} ${serviceLabel(op)}`;
    default:
      return `${op.kind} ${op.destLabel} (${serviceLabel(op)})`;
  }
}
