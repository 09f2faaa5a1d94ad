// What the kernel holds after a pass, without reading it back: the entries the pass read, with the ops it
// applied folded in (pure). Transition passes plan from this known table instead of dumping every affected
// service again; start, reload and resync passes read the kernel and replace it (decision 005, amended).
// An op that failed leaves its service unknown, so the next pass that covers it reads the kernel.

import type { IpvsDestEntry } from '../ipvs/types';
import type { ApplyResult } from './apply';
import type { ActualService } from './desired';
import { destId, serviceId } from './keys';
import type { Op } from './ops';

function serviceIdOf(op: Op): string {
  return serviceId(op.kind === 'delete-service' || op.kind === 'delete-dest' ? op.key : op.service);
}

/** `known` after `result`: applied ops folded in, services with a failed op dropped. Mutates `known`. */
export function foldApplied(known: Map<string, ActualService>, result: ApplyResult): void {
  for (const op of result.applied) {
    const id = serviceIdOf(op);
    const entry = known.get(id);
    switch (op.kind) {
      case 'add-service':
      case 'edit-service':
        known.set(id, { service: { ...entry?.service, ...op.service }, dests: entry?.dests ?? [] });
        break;
      case 'delete-service':
        known.delete(id);
        break;
      case 'add-dest':
      case 'edit-dest': {
        if (entry === undefined) break;
        const key = destId(op.dest);
        const old = entry.dests.find((d) => destId(d) === key);
        const next: IpvsDestEntry = {
          ...op.dest,
          activeConns: old?.activeConns ?? 0,
          inactiveConns: old?.inactiveConns ?? 0,
          persistentConns: old?.persistentConns ?? 0,
          ...(old?.stats !== undefined ? { stats: old.stats } : {}),
        };
        known.set(id, { service: entry.service, dests: old === undefined ? [...entry.dests, next] : entry.dests.map((d) => (d === old ? next : d)) });
        break;
      }
      case 'delete-dest': {
        if (entry === undefined) break;
        const key = destId(op.dest);
        known.set(id, { service: entry.service, dests: entry.dests.filter((d) => destId(d) !== key) });
        break;
      }
    }
  }
  for (const f of result.failed) known.delete(serviceIdOf(f.op));
}
