// plan(desired, actual, removed) → the ordered list of operations that turns the kernel's entries for the
// services this config owns into the desired table. Pure. Services the config does not own are never
// looked at, and nothing is ever flushed.

import type { IpvsDest, IpvsDestEntry, IpvsService, IpvsServiceEntry, ServiceKey } from '../ipvs/types';
import type { ActualTable, DesiredService, DesiredTable } from './desired';
import { destId, destKeyOf, destLabel, serviceId, serviceKeyOf } from './keys';
import { stageOf, type Op, type ServiceWhy } from './ops';

/** An owned service that is no longer wanted: dropped from the config on reload, or purged at stop. */
export interface RemovedService {
  readonly key: ServiceKey;
  readonly label: string;
  readonly why: Exclude<ServiceWhy, 'configured'>;
}

export function plan(desired: DesiredTable, actual: ActualTable, removed: readonly RemovedService[] = []): Op[] {
  const ranked: Array<{ rank: number; seq: number; op: Op }> = [];
  const push = (op: Op): void => void ranked.push({ rank: stageOf(op), seq: ranked.length, op });

  for (const s of desired.services) planService(s, actual.get(s.id), push);
  for (const r of removed) {
    const current = actual.get(serviceId(r.key));
    if (current === undefined) continue;
    const key = serviceKeyOf(r.key);
    for (const d of byAddress(current.dests)) {
      push({
        kind: 'delete-dest',
        key,
        dest: destKeyOf(d),
        role: 'unknown',
        why: 'purge',
        label: r.label,
        destLabel: destLabel(d),
      });
    }
    push({ kind: 'delete-service', key, label: r.label, why: r.why });
  }

  // Ordering rules: the stages of stageOf (ops.ts) — services, then make, then break, then the dests of
  // removed services, then those services. A stable sort, so within one stage the config order of services
  // and dests is kept.
  ranked.sort((a, b) => a.rank - b.rank || a.seq - b.seq);
  return ranked.map((r) => r.op);
}

function planService(
  s: DesiredService,
  current: { service: IpvsServiceEntry; dests: readonly IpvsDestEntry[] } | undefined,
  push: (op: Op) => void,
): void {
  if (current === undefined) push({ kind: 'add-service', service: s.service, label: s.label });
  else if (!sameService(s.service, current.service)) push({ kind: 'edit-service', service: s.service, label: s.label });

  // The desired table looked every dest up in this very read: reuse it. Only a desired table made from another
  // read (tests, callers that plan against a different view) is indexed again.
  const kernel = current?.dests ?? [];
  const inKernel = s.kernelDests === current?.dests ? undefined : new Map(kernel.map((d) => [destId(d), d]));
  let matched = 0;
  const key = serviceKeyOf(s.service);
  for (const d of s.dests) {
    const have = inKernel === undefined ? d.current : inKernel.get(d.id);
    if (have !== undefined) matched += 1;
    if (d.want.kind === 'present') {
      // The op is made only when there is one to make: most dests of a pass already match.
      const kind = have === undefined ? 'add-dest' : sameDest(d.want.dest, have) ? undefined : 'edit-dest';
      if (kind !== undefined) {
        push({
          kind,
          service: s.service,
          dest: d.want.dest,
          role: d.role,
          why: d.want.why,
          label: s.label,
          destLabel: d.label,
        });
      }
    } else if (d.want.kind === 'absent' && have !== undefined) {
      push({ kind: 'delete-dest', key, dest: d.key, role: d.role, why: 'down', label: s.label, destLabel: d.label });
    }
  }
  // Kernel dests the config does not mention (ids are unique on both sides, so none when every one matched).
  if (matched === kernel.length) return;
  const mentioned = new Set(s.dests.map((d) => d.id));
  for (const have of byAddress(kernel.filter((k) => !mentioned.has(destId(k))))) {
    push({
      kind: 'delete-dest',
      key,
      dest: destKeyOf(have),
      role: 'unknown',
      why: 'stray',
      label: s.label,
      destLabel: destLabel(have),
    });
  }
}

/** Kernel dumps list dests newest first; ops on dests the config does not order are sorted by address. */
function byAddress<T extends IpvsDestEntry>(dests: readonly T[]): T[] {
  if (dests.length < 2) return [...dests];
  const numeric = naturalOrder();
  return [...dests].sort((a, b) => numeric.compare(destId(a), destId(b)));
}

// Made on first use, not when the module loads: creating an ICU collator costs ~0.1 s in the guest kernel
// (a --cpu-prof of a cold start), and only dests the config does not know (strays) are ever sorted.
let collator: Intl.Collator | undefined;
const naturalOrder = (): Intl.Collator => (collator ??= new Intl.Collator('en', { numeric: true }));

/** Scheduler, flags, persistence timeout, netmask and PE: what `ipvsadm -E` would change. */
export function sameService(want: IpvsService, have: IpvsService): boolean {
  const f = want.flags;
  const g = have.flags;
  return (
    want.scheduler === have.scheduler &&
    f.persistent === g.persistent &&
    f.onePacket === g.onePacket &&
    f.sched1 === g.sched1 &&
    f.sched2 === g.sched2 &&
    f.sched3 === g.sched3 &&
    want.timeout === have.timeout &&
    String(want.netmask) === String(have.netmask) &&
    (want.peName ?? '') === (have.peName ?? '')
  );
}

/** Forwarding, weight, thresholds (and tunnel settings when we set them): what `ipvsadm -e` would change. */
export function sameDest(want: IpvsDest, have: IpvsDest): boolean {
  if (want.forwarding !== have.forwarding || want.weight !== have.weight) return false;
  if (want.upperThreshold !== have.upperThreshold || want.lowerThreshold !== have.lowerThreshold) return false;
  if (want.tunnel === undefined) return true;
  const t = have.tunnel;
  return t !== undefined && t.type === want.tunnel.type && t.port === want.tunnel.port && t.csum === want.tunnel.csum;
}
