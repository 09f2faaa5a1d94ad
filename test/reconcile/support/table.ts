// Helpers to put a test's starting state into the in-memory IPVS table and to print plans compactly.
import { createMemoryIpvs, type MemoryIpvs } from '../../../src/ipvs/memory/table';
import type { IpvsDest, IpvsService } from '../../../src/ipvs/types';
import { describeOp, type Op } from '../../../src/reconcile/ops';

export async function seededIpvs(entries: Array<{ service: IpvsService; dests?: IpvsDest[] }>): Promise<MemoryIpvs> {
  const ipvs = createMemoryIpvs();
  for (const e of entries) {
    await ipvs.addService(e.service);
    for (const d of e.dests ?? []) await ipvs.addDest(e.service, d);
  }
  return ipvs;
}

/** `add-dest 10.0.0.5:80 (10.0.0.1:80) w=1 up`: kind, labels, weight and why, for exact-list comparison. */
export function show(ops: readonly Op[]): string[] {
  return ops.map((op) => {
    const why = 'why' in op ? ` ${op.why}` : '';
    return `${describeOp(op)}${why}`.replace(/ wrr/, '');
  });
}
