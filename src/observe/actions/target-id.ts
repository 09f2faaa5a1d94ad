// One spelling of a health target id for what operators and metrics see. The pool, the director and the
// snapshot use health/spec.ts targetId, which writes an IPv6 address unbracketed (`${vid}|v6addr:port`);
// an operator may send either spelling. Overrides and metric labels key on the bracketed form
// (`${vid}|[v6addr]:port`), and every map they look up is keyed through this function. Pure.

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
