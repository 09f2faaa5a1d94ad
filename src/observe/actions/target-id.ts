// One spelling of a health target id. The director and the snapshot write `${vid}|[v6addr]:port`
// (reconcile/desired.ts realTargetId); the health pool's targets may carry the address unbracketed
// (`${vid}|v6addr:port`). Overrides and metric labels key on the bracketed form. Pure.

export function canonicalTargetId(id: string): string {
  const bar = id.indexOf('|');
  if (bar < 0) return id;
  const rest = id.slice(bar + 1);
  if (rest.startsWith('[')) return id;
  const colon = rest.lastIndexOf(':');
  const host = colon < 0 ? rest : rest.slice(0, colon);
  if (!host.includes(':')) return id;
  return `${id.slice(0, bar)}|[${host}]${rest.slice(colon)}`;
}
