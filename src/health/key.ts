// The identity of a check: two targets whose keys are equal run one check and share its result.
// Unlike the reference's identity string (§3.4), which forgets login, passwd, database, secret, httpmethod
// and the timeouts, EVERY CheckSpec field that can change what the check does is in the key. The virtual
// service's own address/port/mark and the real's configured port only matter to external checks (they are
// the command's arguments), so they are in the key only for those; that is what lets one real shared by
// several virtual services be checked once.
import type { CheckSpec } from './types';

/** Every CheckSpec field, in a fixed order (the type below fails to compile when one is missing). */
const FIELDS = [
  'checktype',
  'service',
  'protocol',
  'family',
  'address',
  'port',
  'request',
  'receive',
  'httpmethod',
  'virtualhost',
  'login',
  'passwd',
  'database',
  'secret',
  'checkcommand',
  'checktimeout',
  'negotiatetimeout',
  'checkcount',
  'tlsVerify',
  'tlsCa',
  'realPort',
  'virtualAddress',
  'virtualPort',
  'fwmark',
] as const satisfies readonly (keyof CheckSpec)[];
type Missing = Exclude<keyof CheckSpec, (typeof FIELDS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

/** Where the fields only external checks key on begin in FIELDS. */
const PER_VIRTUAL_FROM = FIELDS.indexOf('realPort');

function usesVirtualFields(spec: CheckSpec): boolean {
  return spec.checktype.kind === 'external' || spec.checktype.kind === 'external-perl';
}

/**
 * Stable text key: every field's value at its fixed position, JSON-encoded (so no separator can be forged);
 * an absent field, or a per-virtual one of a check that does not use it, is null. Built from a fixed field
 * list rather than from Object.entries and a sort: a reload of 37,205 real servers computes one per target.
 */
export function checkKey(spec: CheckSpec): string {
  // One string per spec object, whoever asks (the pool's targets, the daemon's result tap): at 5,000 real
  // servers a second copy of every key was 0.8 MB of the heap. Specs are readonly once built.
  let key = keys.get(spec);
  if (key === undefined) {
    key = buildKey(spec);
    keys.set(spec, key);
  }
  return key;
}

const keys = new WeakMap<CheckSpec, string>();

function buildKey(spec: CheckSpec): string {
  const end = usesVirtualFields(spec) ? FIELDS.length : PER_VIRTUAL_FROM;
  const values: unknown[] = [];
  for (let i = 0; i < FIELDS.length; i += 1) values.push(i < end ? (spec[FIELDS[i] as keyof CheckSpec] ?? null) : null);
  return JSON.stringify(values);
}

/**
 * Whether two specs have the same check key, without building either key: every field compared by value
 * (checktype by its kind and count). A reload compares each target's new spec with its old one and reuses
 * the old key when they agree, which is most targets.
 */
export function sameCheck(a: CheckSpec, b: CheckSpec): boolean {
  if (a === b) return true;
  const ta = a.checktype;
  const tb = b.checktype;
  if (ta.kind !== tb.kind || (ta.kind === 'combined' && tb.kind === 'combined' && ta.n !== tb.n)) return false;
  const end = usesVirtualFields(a) ? FIELDS.length : PER_VIRTUAL_FROM;
  for (let i = 1; i < end; i += 1) {
    const name = FIELDS[i] as keyof CheckSpec;
    if (a[name] !== b[name]) return false;
  }
  return true;
}
