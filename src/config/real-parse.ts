// `real=` and `fallback=` values (docs/behaviour.md §2.5, §2.6) → unresolved specs; names are resolved later.
//
//   real=HOST[->HOST2][:PORT] gate|masq|ipip [WEIGHT] ["REQUEST", "RECEIVE"] [l:LOW] [u:HIGH]
//   fallback=HOST[:PORT] [gate|masq|ipip]
//
// HOST is an IPv4 address, a host name, or `[IPv6]`. Differences from ldirectord (docs/compat.md): a request
// starting with `/` keeps its receive string and thresholds; quoted "l:N"/"u:N" are thresholds (warning);
// l: and u: may come in either order.

import type { Family, Forwarding, RealServer, SourceRef } from '../model/config';
import type { Diagnostics } from './diagnostics';
import { parseHostPort } from './host-port';
import { shift } from './diagnostics';
import type { RawDirective } from './raw';

export interface HostRef {
  readonly text: string;
  readonly at: SourceRef;
  /** `literal` = an IP address of the directive's family; `name` = to resolve. */
  readonly kind: 'literal' | 'name';
}

export interface PortRef {
  readonly text: string;
  readonly at: SourceRef;
}

/** What a `real=` line says, its hosts and port not yet resolved; the rest as in the model's RealServer. */
export interface RealSpec extends Pick<
  RealServer,
  'forwarding' | 'weight' | 'request' | 'receive' | 'lowerThreshold' | 'upperThreshold'
> {
  readonly kind: 'real';
  readonly at: SourceRef;
  readonly family: Family;
  readonly from: HostRef;
  readonly to?: HostRef;
  readonly port?: PortRef;
}

export interface FallbackSpec {
  readonly kind: 'fallback';
  readonly at: SourceRef;
  readonly family: Family;
  readonly host: HostRef;
  readonly port?: PortRef;
  readonly forwarding: Forwarding;
}

interface Token {
  readonly text: string;
  readonly quoted: boolean;
  readonly offset: number;
}

const FORWARDINGS: readonly Forwarding[] = ['gate', 'masq', 'ipip'];
const MAX_WEIGHT = 65535;
const MAX_THRESHOLD = 2 ** 31 - 1;

export function parseRealText(d: RawDirective, family: Family, diags: Diagnostics): RealSpec | undefined {
  const tokens = tokenize(d, diags);
  if (!tokens) return undefined;
  const [hostTok, fwdTok, ...rest] = tokens;
  if (!hostTok) return undefined;
  const at = (t: Token): SourceRef => shift(d.valueAt, t.offset);
  const hosts = parseHostPort(d.name, hostTok.text, at(hostTok), family, true, diags);
  if (!hosts) return undefined;
  if (!fwdTok) {
    diags.error(
      'E_BAD_REAL',
      `${d.name}: missing forwarding method after the address (gate, masq or ipip)`,
      shift(d.valueAt, d.text.length),
    );
    return undefined;
  }
  const forwarding = readForwarding(d.name, fwdTok, at(fwdTok), diags);
  if (!forwarding) return undefined;

  let weight: number | undefined;
  const strings: string[] = [];
  let lower: number | undefined;
  let upper: number | undefined;
  let ok = true;
  let weightSwitch = false;
  for (const t of rest) {
    if (!t.quoted && t.text === '-w' && !weightSwitch && weight === undefined && strings.length === 0) {
      // Tutorials write ipvsadm's `-w 5`; ldirectord's unanchored weight pattern skips the `-w` and reads 5.
      diags.warn('W_WEIGHT_SWITCH', `${d.name}: "-w" ignored, the weight follows it (write "${fwdTok.text} N")`, at(t));
      weightSwitch = true;
      continue;
    }
    const threshold = /^([lu]):(\d+)$/.exec(t.text);
    if (threshold) {
      if (t.quoted) {
        diags.warn(
          'W_QUOTED_THRESHOLD',
          `${d.name}: quoted ${JSON.stringify(t.text)} read as a threshold, write it unquoted`,
          at(t),
        );
      }
      const n = Number(threshold[2]);
      if (!(n <= MAX_THRESHOLD)) {
        diags.error('E_BAD_REAL', `${d.name}: threshold must be 0..${MAX_THRESHOLD}, got ${threshold[2]}`, at(t));
        ok = false;
      } else if (threshold[1] === 'l') lower = n;
      else upper = n;
    } else if (t.quoted) {
      if (strings.length === 2) {
        diags.error('E_BAD_REAL', `${d.name}: only one "REQUEST", "RECEIVE" pair is allowed`, at(t));
        ok = false;
      } else strings.push(t.text);
    } else if (/^\d+$/.test(t.text) && weight === undefined && strings.length === 0) {
      const n = Number(t.text);
      if (!(n <= MAX_WEIGHT)) {
        diags.error('E_BAD_REAL', `${d.name}: weight must be 0..${MAX_WEIGHT}, got ${t.text}`, at(t));
        ok = false;
      } else weight = n;
    } else {
      diags.error(
        'E_BAD_REAL',
        `${d.name}: unexpected ${JSON.stringify(t.text)} (expected weight, "REQUEST", "RECEIVE", l:N or u:N)`,
        at(t),
      );
      ok = false;
    }
  }
  if (weightSwitch && weight === undefined) {
    diags.error('E_BAD_REAL', `${d.name}: "-w" must be followed by the weight`, d.valueAt);
    ok = false;
  }
  if (strings.length === 1) {
    diags.error(
      'E_BAD_REAL',
      `${d.name}: a per-real request needs its receive string too: "REQUEST", "RECEIVE"`,
      d.valueAt,
    );
    ok = false;
  }
  if (strings[0] === '') {
    diags.error('E_BAD_REAL', `${d.name}: the per-real request must not be empty`, d.valueAt);
    ok = false;
  }
  if (!ok) return undefined;
  return {
    kind: 'real',
    at: d.valueAt,
    family,
    from: hosts.from,
    to: hosts.to,
    port: hosts.port,
    forwarding,
    weight: weight ?? 1,
    request: strings[0] === undefined ? undefined : normaliseRequest(strings[0]),
    receive: strings[1],
    lowerThreshold: lower ?? 0,
    upperThreshold: upper ?? 0,
  };
}

export function parseFallbackText(d: RawDirective, family: Family, diags: Diagnostics): FallbackSpec | undefined {
  const tokens = tokenize(d, diags);
  if (!tokens) return undefined;
  const [hostTok, fwdTok, extra] = tokens;
  if (!hostTok) return undefined;
  const at = (t: Token): SourceRef => shift(d.valueAt, t.offset);
  if (hostTok.quoted || (fwdTok && fwdTok.quoted) || extra) {
    const bad = extra ?? (hostTok.quoted ? hostTok : fwdTok) ?? hostTok;
    diags.error(
      'E_BAD_FALLBACK',
      `${d.name} must be HOST[:PORT] [gate|masq|ipip], unexpected ${JSON.stringify(bad.text)}`,
      at(bad),
    );
    return undefined;
  }
  const hosts = parseHostPort(d.name, hostTok.text, at(hostTok), family, false, diags);
  if (!hosts) return undefined;
  const forwarding = fwdTok ? readForwarding(d.name, fwdTok, at(fwdTok), diags) : 'gate';
  if (!forwarding) return undefined;
  return { kind: 'fallback', at: d.valueAt, family, host: hosts.from, port: hosts.port, forwarding };
}

/** A request that is not an absolute URL gets a leading `/`, as in ldirectord. */
export function normaliseRequest(request: string): string {
  if (request.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(request)) return request;
  return `/${request}`;
}

function readForwarding(name: string, t: Token, at: SourceRef, diags: Diagnostics): Forwarding | undefined {
  // The constant, not the token's text: one string for every real server's method (10,000 copies of "masq" at
  // 5,000 real servers in a heap snapshot otherwise).
  const known = t.quoted ? undefined : FORWARDINGS.find((f) => f === t.text);
  if (known !== undefined) return known;
  diags.error(
    name.startsWith('fallback') ? 'E_BAD_FALLBACK' : 'E_BAD_REAL',
    `${name}: forward method must be gate, masq or ipip, got ${JSON.stringify(t.text)}`,
    at,
  );
  return undefined;
}

function tokenize(d: RawDirective, diags: Diagnostics): Token[] | undefined {
  const s = d.text;
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === ',') {
      i++;
      continue;
    }
    if (c === '"') {
      const end = s.indexOf('"', i + 1);
      if (end < 0) {
        diags.error('E_BAD_REAL', `${d.name}: unterminated quoted string`, shift(d.valueAt, i));
        return undefined;
      }
      out.push({ text: s.slice(i + 1, end), quoted: true, offset: i });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < s.length && s[j] !== ' ' && s[j] !== '\t' && s[j] !== ',' && s[j] !== '"') j++;
    out.push({ text: s.slice(i, j), quoted: false, offset: i });
    i = j;
  }
  if (out.length === 0) {
    diags.error('E_EMPTY_VALUE', `${d.name} needs a value`, d.valueAt);
    return undefined;
  }
  return out;
}
