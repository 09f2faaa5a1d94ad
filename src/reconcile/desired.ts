// The desired table (pure): from the configuration, the health of every (virtual, real) target and the
// kernel's current entries for the services this config owns → what each owned service should hold.
//
// Per real server, by health:
//   up                 present at its configured weight and thresholds
//   down, quiescent=no present → deleted
//   down, quiescent=yes present → weight 0; absent → re-added at weight 0 only with readdquiescent=yes
//   unknown            (no check has decided yet) kept exactly as the kernel has it: a server adopted from a
//                      running table keeps serving until its first check, a new one enters only when its
//                      first check passes. This replaces the original's add-then-remove flap at start.
//                      With addbeforecheck=yes (keepalived's behaviour, off by default) an unknown real is
//                      present at its weight, as if up, until its first check decides.
// The fallback (sorry) server, per virtual or global, is present iff no real is "serving" (up, or unknown but
// in the kernel with weight > 0) and every real's health is known; while some real is still pending its first
// check and none serves, the fallback is kept as the kernel has it. Never both a serving real and the fallback.

import type { DestKey, IpvsDest, IpvsDestEntry, IpvsService, IpvsServiceEntry } from '../ipvs/types';
import { targetId } from '../health/spec';
import type { Config, Fallback, RealServer, VirtualService } from '../model/config';
import { destId, destKeyOf, destLabel } from './keys';
import { kernelIndex, mappedNow, shapeOf, type RealShape, type ShapeCache } from './shapes';
import type { DestRole } from './ops';

/** Converters from the config model to the IPVS model (src/reconcile/to-ipvs.ts in production). */
export interface IpvsMapping {
  service(v: VirtualService): IpvsService;
  /** A real's entry; its family, address and port depend on (v, r) alone, its weight may vary (overrides). */
  dest(v: VirtualService, r: RealServer, weight?: number): IpvsDest;
  fallback(v: VirtualService, f: Fallback): IpvsDest;
}

/** Health of one target: true up, false down, undefined not decided yet. */
export type HealthOf = (targetId: string) => boolean | undefined;

export interface ActualService {
  readonly service: IpvsServiceEntry;
  readonly dests: readonly IpvsDestEntry[];
}

/** The kernel's entries for (at least) the owned services, keyed by serviceId(). Absent key = not in kernel. */
export type ActualTable = ReadonlyMap<string, ActualService>;

export type DestWant =
  | { readonly kind: 'present'; readonly dest: IpvsDest; readonly why: 'up' | 'quiesce' | 'readd' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'keep' };

export interface DesiredDest {
  readonly id: string;
  readonly key: DestKey;
  readonly label: string;
  readonly role: DestRole;
  /** The health target id for reals. */
  readonly targetId?: string;
  readonly want: DestWant;
  /** The kernel's entry with this id in `DesiredService.kernelDests`, if any. */
  readonly current?: IpvsDestEntry;
}

export interface DesiredService {
  readonly vid: string;
  readonly id: string;
  readonly label: string;
  readonly service: IpvsService;
  readonly dests: readonly DesiredDest[];
  /** Whether the sorry state holds: true no real serves, false one does, undefined still deciding. */
  readonly fallbackActive: boolean | undefined;
  /**
   * The kernel's dests the `current` entries were looked up in (undefined: the service was not in the kernel),
   * so that plan() given the same actual table reuses those lookups instead of indexing the dests again.
   */
  readonly kernelDests: readonly IpvsDestEntry[] | undefined;
}

export interface DesiredTable {
  readonly services: readonly DesiredService[];
}

/** The health target id of a real server in a virtual: the pool's own (src/health/spec.ts targetId). */
export const realTargetId: (v: VirtualService, r: RealServer) => string = targetId;

export function desiredTable(
  config: Config,
  health: HealthOf,
  actual: ActualTable,
  map: IpvsMapping,
  shapes?: ShapeCache,
): DesiredTable {
  return { services: config.virtuals.map((v) => desiredService(config, v, health, actual, map, shapes)) };
}

function desiredService(
  config: Config,
  v: VirtualService,
  health: HealthOf,
  actual: ActualTable,
  map: IpvsMapping,
  shapes: ShapeCache | undefined,
): DesiredService {
  const { service, id, label, reals, distinct, lastDesired } = shapeOf(v, map, shapes);
  const kernelDests = actual.get(id)?.dests;
  const kernel = kernelIndex(kernelDests);
  // In config order, the first real of each kernel entry (a Map only when some repeat, or a fallback may).
  const list: DesiredDest[] = [];
  const dests = distinct && v.fallback === undefined ? undefined : new Map<string, DesiredDest>();
  let serving = false;
  let pending = false;

  for (let i = 0; i < reals.length; i += 1) {
    const r = mappedNow(reals[i] as RealShape, map.dest(v, v.reals[i] as RealServer));
    const current = kernel.find(r, i);
    const up = health(r.targetId) ?? (config.global.addbeforecheck === true ? true : undefined);
    if (up === undefined) {
      if (current !== undefined && current.weight > 0) serving = true;
      else pending = true;
    } else if (up) {
      serving = true;
    }
    if (dests?.has(r.id) === true) continue;
    const want = up === true ? r.upWant : realWant(up, r, current, v.quiescent, config.global.readdquiescent);
    // The last table's entry when nothing in it changed (its want and kernel entry are the very same objects).
    const last = lastDesired[i];
    const d: DesiredDest =
      last !== undefined && last.want === want && last.current === current && last.key === r.key
        ? last
        : current === undefined
          ? { id: r.id, key: r.key, label: r.label, role: 'real', targetId: r.targetId, want }
          : { id: r.id, key: r.key, label: r.label, role: 'real', targetId: r.targetId, want, current };
    lastDesired[i] = d;
    if (dests !== undefined) dests.set(r.id, d);
    else list.push(d);
  }

  const fallbackActive = serving ? false : pending ? undefined : true;
  if (v.fallback !== undefined) {
    const dest = map.fallback(v, v.fallback);
    const key = destKeyOf(dest);
    const did = destId(key);
    const want: DestWant =
      fallbackActive === true ? { kind: 'present', dest, why: 'up' } : fallbackActive === false ? ABSENT : KEEP;
    // A fallback that is also a configured real: the real's entry wins unless the sorry state holds.
    const byId = dests as Map<string, DesiredDest>; // a fallback always has the map
    if (!byId.has(did) || fallbackActive === true)
      byId.set(did, withCurrent({ id: did, key, label: destLabel(key), role: 'fallback', want }, kernel.byId(did)));
  }

  return {
    vid: v.id,
    id,
    label,
    service,
    dests: dests === undefined ? list : [...dests.values()],
    fallbackActive,
    kernelDests,
  };
}

/** `d` with its kernel entry, when there is one (assigned, not spread: a spread per dest showed in profiles). */
function withCurrent(d: DesiredDest, current: IpvsDestEntry | undefined): DesiredDest {
  return current === undefined ? d : Object.assign(d, { current });
}

/** Wants without a dest are shared, so that an unchanged real's want is the same object from pass to pass. */
const KEEP: DestWant = { kind: 'keep' };
const ABSENT: DestWant = { kind: 'absent' };

function realWant(
  up: boolean | undefined,
  r: RealShape,
  current: IpvsDestEntry | undefined,
  quiescent: boolean,
  readd: boolean,
): DestWant {
  if (up === undefined) return KEEP;
  if (up) return r.upWant;
  if (!quiescent) return ABSENT;
  if (current !== undefined)
    return (r.quiesceWant ??= { kind: 'present', dest: { ...r.dest, weight: 0 }, why: 'quiesce' });
  return readd ? (r.readdWant ??= { kind: 'present', dest: { ...r.dest, weight: 0 }, why: 'readd' }) : KEEP;
}
