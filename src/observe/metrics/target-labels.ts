// Health target id → the metric labels of its virtual service, real server, check type and service,
// rebuilt from the running config (cheap: one map per config object, cached by identity).

import type { CheckType, Config } from '../../model/config';
import { realTargetId } from '../../reconcile/desired';
import { canonicalTargetId } from '../actions/target-id';
import type { TargetLabels } from './feed';

export function checkTypeName(c: CheckType): string {
  return c.kind === 'combined' ? 'combined' : c.kind;
}

export function labelsOfConfig(config: Config): ReadonlyMap<string, TargetLabels> {
  const m = new Map<string, TargetLabels>();
  for (const v of config.virtuals) {
    for (const r of v.reals) {
      // Keyed by the canonical spelling every lookup uses (IPv6 bracketed); the pool's own id is unbracketed.
      const id = canonicalTargetId(realTargetId(v, r));
      m.set(id, {
        virtual: v.id,
        real: id.slice(v.id.length + 1),
        check: checkTypeName(v.checktype),
        service: v.service,
      });
    }
  }
  return m;
}

export function targetLabeler(config: () => Config): (id: string) => TargetLabels | undefined {
  let last: { config: Config; map: ReadonlyMap<string, TargetLabels> } | undefined;
  return (id) => {
    const c = config();
    if (last?.config !== c) last = { config: c, map: labelsOfConfig(c) };
    return last.map.get(canonicalTargetId(id));
  };
}
