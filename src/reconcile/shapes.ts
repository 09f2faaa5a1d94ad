// The shapes of the desired table (pure): what a virtual and its reals contribute whatever their health and
// whatever the kernel holds — kernel entries at the configured weights, ids, labels, target ids — computed
// once per frozen VirtualService and kept by the reconciler across passes (desired.ts uses them), and the
// lookup of each real's entry in a kernel dump.

import type { DestKey, IpvsDest, IpvsDestEntry, IpvsService } from '../ipvs/types';
import { targetId } from '../health/spec';
import type { VirtualService } from '../model/config';
import type { DesiredDest, DestWant, IpvsMapping } from './desired';
import { destIndex } from './dest-index';
import { destId, destKeyOf, destLabel, serviceId, serviceLabel } from './keys';
import { sameDest } from './plan';

/** A real server as the desired table sees it whatever its health: its kernel entry at its configured weight. */
export interface RealShape {
  readonly dest: IpvsDest;
  readonly key: DestKey;
  readonly id: string;
  /** The address as in `id` (canonical): a kernel entry with this address, family and port has this id. */
  readonly address: string;
  readonly label: string;
  readonly targetId: string;
  /** The want of a real that is up (shared: a DestWant is never changed). */
  readonly upWant: DestWant;
  /**
   * The wants of a real that is down with quiescent=yes, kept at weight 0 or re-added at 0 (readdquiescent):
   * made when first wanted (desired.ts), since most reals are never down.
   */
  quiesceWant?: DestWant;
  readdWant?: DestWant;
}

/** What a virtual contributes to the desired table whatever the health and the kernel hold. */
interface VirtualShape {
  readonly service: IpvsService;
  readonly id: string;
  readonly label: string;
  readonly reals: readonly RealShape[];
  /** No two reals have the same kernel entry (the common case: no dedup map is needed). */
  readonly distinct: boolean;
  /**
   * Each real's entry in the last desired table made with this shape (desired.ts), reused when the next one
   * would be equal: a transition pass covers every real of its virtuals but changes a few.
   */
  readonly lastDesired: (DesiredDest | undefined)[];
}

/**
 * Shapes per virtual, computed once per frozen VirtualService: a reconciler keeps one across its passes, and
 * the config loader hands back the same object for an unchanged section (src/config/section-memo.ts), so a
 * reload of 37,205 reals does not build their ids and labels again. The mapping is still asked for every
 * real's entry at every pass (operator overrides change weights through it: src/observe/actions/overrides.ts);
 * an entry equal to the shape's keeps the shape's objects. The plan is still made against the kernel's entries
 * as read (docs/decisions/005).
 */
export type ShapeCache = WeakMap<VirtualService, VirtualShape>;

export function shapeOf(v: VirtualService, map: IpvsMapping, cache: ShapeCache | undefined): VirtualShape {
  const known = cache?.get(v);
  if (known !== undefined) return known;
  const service = map.service(v);
  const reals = v.reals.map((r): RealShape => realShape(map.dest(v, r), targetId(v, r)));
  const shape: VirtualShape = {
    service,
    id: serviceId(service),
    label: serviceLabel(service),
    reals,
    distinct: new Set(reals.map((r) => r.id)).size === reals.length,
    lastDesired: [],
  };
  cache?.set(v, shape);
  return shape;
}

/** A virtual's kernel service and its id, from the cache when it has the virtual. */
export function serviceOf(
  v: VirtualService,
  map: IpvsMapping,
  shapes: ShapeCache | undefined,
): { readonly service: IpvsService; readonly id: string } {
  return shapeOf(v, map, shapes);
}

/** The shape of a real whose mapped entry is `dest`: the cached one when the entry is the same. */
export function mappedNow(r: RealShape, dest: IpvsDest): RealShape {
  if (dest === r.dest) return r;
  const a = r.dest;
  const sameKey = dest.address === a.address && dest.port === a.port && dest.family === a.family;
  if (sameKey && dest.tunnel === undefined && a.tunnel === undefined && sameDest(dest, a)) return r;
  const { quiesceWant: _q, readdWant: _r, ...shape } = sameKey ? r : realShape(dest, r.targetId);
  return { ...shape, dest, upWant: { kind: 'present', dest, why: 'up' } };
}

function realShape(dest: IpvsDest, targetId: string): RealShape {
  const key = destKeyOf(dest);
  const id = destId(key);
  return {
    dest,
    key,
    id,
    address: id.slice(key.family.length + 1, id.lastIndexOf('|')),
    label: destLabel(key),
    targetId,
    upWant: { kind: 'present', dest, why: 'up' },
  };
}

/**
 * The kernel's entry of each real: a dump lists a service's dests newest first, so the entry of the i-th real
 * of a service programmed in config order is the i-th from the end; that guess is taken when its address
 * (canonical), family and port are the real's, and only otherwise is the entry looked up by id in the dests'
 * index (dest-index.ts: made once per dump, and kept by the known table across passes).
 */
export function kernelIndex(dests: readonly IpvsDestEntry[] | undefined): {
  find(r: RealShape, i: number): IpvsDestEntry | undefined;
  byId(id: string): IpvsDestEntry | undefined;
} {
  const n = dests?.length ?? 0;
  let index: ReadonlyMap<string, IpvsDestEntry> | undefined;
  const byId = (id: string): IpvsDestEntry | undefined =>
    dests === undefined || n === 0 ? undefined : (index ??= destIndex(dests)).get(id);
  const find = (r: RealShape, i: number): IpvsDestEntry | undefined => {
    const guess = dests?.[n - 1 - i];
    if (
      guess !== undefined &&
      guess.port === r.key.port &&
      guess.address === r.address &&
      guess.family === r.key.family
    )
      return guess;
    return byId(r.id);
  };
  return { find, byId };
}
