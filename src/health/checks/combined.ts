// ldirectord's checktype=N (docs/behaviour.md §3.1): negotiate; after a successful negotiate the next N checks are
// plain connects; a failed connect (or negotiate) makes the next check a negotiate again. Pure: the pool
// keeps `connectsLeft` per shared check and asks which spec to run.
import type { CheckSpec } from '../types';

export function combinedPhase(spec: CheckSpec, connectsLeft: number): CheckSpec {
  if (spec.checktype.kind !== 'combined') return spec;
  return { ...spec, checktype: connectsLeft > 0 ? { kind: 'connect' } : { kind: 'negotiate' } };
}

/** connectsLeft after a run of `ran` (the phase spec) that ended `ok`. */
export function nextConnectsLeft(spec: CheckSpec, ran: CheckSpec, ok: boolean, connectsLeft: number): number {
  if (spec.checktype.kind !== 'combined' || !ok) return 0;
  return ran.checktype.kind === 'negotiate' ? spec.checktype.n : Math.max(0, connectsLeft - 1);
}
