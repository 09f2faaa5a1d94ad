// The identity of a check: two targets whose keys are equal run one check and share its result.
// Unlike the reference's identity string (§3.4), which forgets login, passwd, database, secret, httpmethod
// and the timeouts, EVERY CheckSpec field that can change what the check does is in the key. The virtual
// service's own address/port/mark and the real's configured port only matter to external checks (they are
// the command's arguments), so they are in the key only for those; that is what lets one real shared by
// several virtual services be checked once.
import type { CheckSpec } from './types';

const PER_VIRTUAL: ReadonlySet<string> = new Set(['virtualAddress', 'virtualPort', 'fwmark', 'realPort']);

function usesVirtualFields(spec: CheckSpec): boolean {
  return spec.checktype.kind === 'external' || spec.checktype.kind === 'external-perl';
}

/** Stable text key: every field, sorted by name, JSON-encoded (so no separator can be forged). */
export function checkKey(spec: CheckSpec): string {
  const withVirtual = usesVirtualFields(spec);
  const entries = Object.entries(spec)
    .filter(([name, value]) => value !== undefined && (withVirtual || !PER_VIRTUAL.has(name)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}
