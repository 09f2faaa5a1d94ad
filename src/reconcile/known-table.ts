// What the kernel holds after a pass, without reading it back: the entries the pass read, with the ops it
// applied folded in (pure). Transition passes plan from this known table instead of dumping every affected
// service again; start, reload and resync passes read the kernel and replace it (decision 005, amended).
// An op that failed leaves its service unknown, so the next pass that covers it reads the kernel.

import type { IpvsDestEntry } from '../ipvs/types';
import type { ApplyResult } from './apply';
import type { ActualService } from './desired';
import { handOver, takeIndex } from './dest-index';
import { destId } from './keys';
import { opServiceId } from './op-key';

/** A service's entry while ops are folded in: its dests by destId, in the order the known table lists them. */
interface Draft {
  service: ActualService['service'];
  readonly dests: Map<string, IpvsDestEntry>;
}

/**
 * `known` after `result`: applied ops folded in, services with a failed op dropped. Mutates `known`.
 * Linear in the ops and the dests of the services they touch: each touched service's index (dest-index.ts) is
 * taken over, every op is one map operation, and the map is written back once at the end as the new array's
 * index (null = the service is gone or unknown).
 */
export function foldApplied(known: Map<string, ActualService>, result: ApplyResult): void {
  const drafts = new Map<string, Draft | null>();
  const draft = (id: string): Draft | null => {
    let d = drafts.get(id);
    if (d === undefined) {
      const entry = known.get(id);
      d = entry === undefined ? null : { service: entry.service, dests: takeIndex(entry.dests) };
      drafts.set(id, d);
    }
    return d;
  };
  for (const op of result.applied) {
    const id = opServiceId(op);
    switch (op.kind) {
      case 'add-service':
      case 'edit-service': {
        const d = draft(id);
        drafts.set(id, { service: { ...d?.service, ...op.service }, dests: d?.dests ?? new Map() });
        break;
      }
      case 'delete-service':
        drafts.set(id, null);
        break;
      case 'add-dest':
      case 'edit-dest': {
        const d = draft(id);
        if (d === null) break;
        const key = destId(op.dest);
        const old = d.dests.get(key);
        d.dests.set(key, {
          ...op.dest,
          activeConns: old?.activeConns ?? 0,
          inactiveConns: old?.inactiveConns ?? 0,
          persistentConns: old?.persistentConns ?? 0,
          ...(old?.stats !== undefined ? { stats: old.stats } : {}),
        });
        break;
      }
      case 'delete-dest':
        draft(id)?.dests.delete(destId(op.dest));
        break;
    }
  }
  for (const f of result.failed) drafts.set(opServiceId(f.op), null);
  for (const [id, d] of drafts) {
    if (d === null) {
      known.delete(id);
      continue;
    }
    const dests = [...d.dests.values()];
    handOver(dests, d.dests);
    known.set(id, { service: d.service, dests });
  }
}
