// A service's dests by destId, made once per dests array and kept beside it (a WeakMap, so it goes with the
// array): the desired table looks every configured real up in it at every pass, and the known table
// (known-table.ts) folds a pass's ops into it instead of indexing the service's dests again. Computing a
// destId per kernel entry per pass was a sixth of a transition pass at 5,000 reals, and the map and the ids the
// largest share of what a pass left to the garbage collector (bench/reconcile-trickle.ts).

import type { IpvsDestEntry } from '../ipvs/types';
import { destId } from './keys';

const indexes = new WeakMap<readonly IpvsDestEntry[], Map<string, IpvsDestEntry>>();

function build(dests: readonly IpvsDestEntry[]): Map<string, IpvsDestEntry> {
  const index = new Map<string, IpvsDestEntry>();
  for (const d of dests) index.set(destId(d), d);
  return index;
}

/** The dests of `dests` by destId (made on first use, then kept with the array). */
export function destIndex(dests: readonly IpvsDestEntry[]): ReadonlyMap<string, IpvsDestEntry> {
  let index = indexes.get(dests);
  if (index === undefined) {
    index = build(dests);
    indexes.set(dests, index);
  }
  return index;
}

/**
 * The index of `dests`, to be changed into that of a new array: `dests` keeps none (a later lookup in it
 * indexes it afresh), and `handOver` gives the changed index to the array made from it.
 */
export function takeIndex(dests: readonly IpvsDestEntry[]): Map<string, IpvsDestEntry> {
  const index = indexes.get(dests) ?? build(dests);
  indexes.delete(dests);
  return index;
}

/** `dests` is `[...index.values()]`: its index is `index`. */
export function handOver(dests: readonly IpvsDestEntry[], index: Map<string, IpvsDestEntry>): void {
  indexes.set(dests, index);
}
