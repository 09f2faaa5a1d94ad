// apply(ops, client): the only caller of the mutating IpvsClient methods. Runs the ops stage by stage (see
// apply() below) and makes each idempotent the way keepalived's ipvs_talk does, so a plan made from a
// slightly stale view still converges:
//   add (service or dest) → EEXIST: it is there already; edit it to the wanted settings
//   edit                  → ESRCH/ENOENT: it vanished; add it
//   delete                → ESRCH/ENOENT: already gone; done
// Any other failure is reported (as an event) and the remaining ops still run: one refused dest must not
// keep the rest of the table from converging. The next pass (transition, reload or resync) retries.

import { isIpvsError } from '../ipvs/errors';
import type { IpvsClient } from '../ipvs/types';
import { serviceKeyOf } from './keys';
import { stageOf, type Op } from './ops';
import { settleBounded } from './settle-bounded';

/**
 * Ops of a stage outstanding at once: what the IPVS client's sockets answer in one turn of a busy event loop
 * (16 sockets, the addon reading 32 datagrams from each per turn: src/ipvs/transport/requester-pool.ts).
 */
const IN_FLIGHT = 512;

export type ApplyEvent =
  { readonly type: 'applied'; readonly op: Op } | { readonly type: 'failed'; readonly op: Op; readonly error: Error };

export interface ApplyResult {
  readonly applied: readonly Op[];
  readonly failed: ReadonlyArray<{ readonly op: Op; readonly error: Error }>;
}

const gone = (e: unknown): boolean => isIpvsError(e, 'ESRCH') || isIpvsError(e, 'ENOENT');

async function run(op: Op, c: IpvsClient): Promise<void> {
  switch (op.kind) {
    case 'add-service':
      return c
        .addService(op.service)
        .catch((e) => (isIpvsError(e, 'EEXIST') ? c.editService(op.service) : Promise.reject(e)));
    case 'edit-service':
      return c.editService(op.service).catch((e) => (gone(e) ? c.addService(op.service) : Promise.reject(e)));
    case 'delete-service':
      return c.deleteService(op.key).catch((e) => (gone(e) ? undefined : Promise.reject(e)));
    case 'add-dest':
      return c
        .addDest(serviceKeyOf(op.service), op.dest)
        .catch((e) => (isIpvsError(e, 'EEXIST') ? c.editDest(serviceKeyOf(op.service), op.dest) : Promise.reject(e)));
    case 'edit-dest':
      return c
        .editDest(serviceKeyOf(op.service), op.dest)
        .catch((e) => (isIpvsError(e, 'ENOENT') ? c.addDest(serviceKeyOf(op.service), op.dest) : Promise.reject(e)));
    case 'delete-dest':
      return c.deleteDest(op.key, op.dest).catch((e) => (gone(e) ? undefined : Promise.reject(e)));
  }
}

/**
 * Runs the stages of the plan one after another (stageOf: services, make, break, purge, delete services) and
 * the ops of one stage together, up to IN_FLIGHT at a time: they are independent, and issuing them together
 * lets the netlink transport pipeline and batch them instead of paying one event-loop turn per op (a thousand
 * reals entering at start would otherwise wait behind every busy turn of the health checks). Results and
 * events are reported in plan order once a stage has settled, so logs read the same however the kernel's
 * answers interleave.
 */
export async function apply(
  ops: readonly Op[],
  client: IpvsClient,
  onEvent: (e: ApplyEvent) => void = () => undefined,
): Promise<ApplyResult> {
  const applied: Op[] = [];
  const failed: Array<{ op: Op; error: Error }> = [];
  for (let start = 0; start < ops.length;) {
    const stage = stageOf(ops[start] as Op);
    let end = start;
    while (end < ops.length && stageOf(ops[end] as Op) === stage) end += 1;
    const group = ops.slice(start, end);
    const outcomes = await settleBounded(group, IN_FLIGHT, (op) => run(op, client));
    outcomes.forEach((outcome, i) => {
      const op = group[i] as Op;
      if (outcome.status === 'fulfilled') {
        applied.push(op);
        onEvent({ type: 'applied', op });
      } else {
        const error = outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
        failed.push({ op, error });
        onEvent({ type: 'failed', op, error });
      }
    });
    start = end;
  }
  return { applied, failed };
}
