// Adapts the director's domain events (src/reconcile/events.ts) to what alerts need (alerts/events.ts): each
// applied destination op becomes a ServerChange with the log line as its text and the configured virtual
// service it belongs to (for emailalert, emailalertstatus, smtp, servicename, comment). The virtual is found
// through an index by service id built once per config object: a scan of the virtuals per op made a start at
// 2,277 virtuals cost ops × virtuals comparisons (tens of millions), twice when a reload looks in both configs.

import type { Config, VirtualService } from '../../model/config';
import { serviceId } from '../../ipvs/keys';
import type { ServiceKey } from '../../ipvs/types';
import { toServiceKey } from '../../reconcile/to-ipvs';
import { opMessage } from '../../observe/log/reconcile-log';
import type { Op } from '../../reconcile/ops';
import type { ServerChange, ServerChangeKind } from '../alerts/events';

/** The configured virtual service of a kernel service key, if any. */
export type VirtualLookup = (key: ServiceKey) => VirtualService | undefined;

/** Config → its VirtualLookup, built once per config object and kept while the config lives (one per factory). */
export function virtualIndexer(): (config: Config) => VirtualLookup {
  const byConfig = new WeakMap<Config, VirtualLookup>();
  return (config) => {
    const cached = byConfig.get(config);
    if (cached !== undefined) return cached;
    const byId = new Map<string, VirtualService>();
    for (const v of config.virtuals) {
      const id = serviceId(toServiceKey(v));
      // The first one wins, as a scan would find it.
      if (!byId.has(id)) byId.set(id, v);
    }
    const lookup: VirtualLookup = (key) => byId.get(serviceId(key));
    byConfig.set(config, lookup);
    return lookup;
  };
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
export function serverChangeOf(op: Op, phase: 'start' | 'stop', virtualOf: VirtualLookup): ServerChange | undefined {
  if (op.kind !== 'add-dest' && op.kind !== 'edit-dest' && op.kind !== 'delete-dest') return undefined;
  const kind = changeKind(op);
  if (kind === undefined) return undefined;
  const key: ServiceKey = op.kind === 'delete-dest' ? op.key : op.service;
  const virtual = virtualOf(key);
  if (virtual === undefined) return undefined;
  return {
    kind,
    virtual,
    server: { address: op.dest.address, port: op.dest.port },
    fallback: op.role === 'fallback',
    message: opMessage(op, phase),
  };
}
