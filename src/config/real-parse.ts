// `real=` and `fallback=` values (reference §2.5, §2.6) → unresolved specs; names are resolved later.
//
//   real=HOST[->HOST2][:PORT] gate|masq|ipip [WEIGHT] ["REQUEST", "RECEIVE"] [l:LOW] [u:HIGH]
//   fallback=HOST[:PORT] [gate|masq|ipip]
//
// HOST is an IPv4 address, a host name, or `[IPv6]`. Differences from ldirectord (docs/compat.md): a request
// starting with `/` keeps its receive string and thresholds; quoted "l:N"/"u:N" are thresholds (warning);
// l: and u: may come in either order.

import { isIP } from 'node:net';
import type { Family, Forwarding, RealServer, SourceRef } from '../model/config';
import type { Diagnostics } from './diagnostics';
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
export interface RealSpec extends Pick<RealServer, 'forwarding' | 'weight' | 'request' | 'receive' | 'lowerThreshold' | 'upperThreshold'> {
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
    diags.error('E_BAD_REAL', `${d.name}: missing forwarding method after the address (gate, masq or ipip)`, shift(d.valueAt, d.text.length));
    return undefined;
  }
  const forwarding = readForwarding(d.name, fwdTok, at(fwdTok), diags);
  if (!forwarding) return undefined;

  let weight: number | undefined;
  const strings: string[] = [];
  let lower: number | undefined;
  let upper: number | undefined;
  let ok = true;
  for (const t of rest) {
    const threshold = /^([lu]):(\d+)$/.exec(t.text);
    if (threshold) {
      if (t.quoted) {
        diags.warn('W_QUOTED_THRESHOLD', `${d.name}: quoted ${JSON.stringify(t.text)} read as a threshold, write it unquoted`, at(t));
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
      diags.error('E_BAD_REAL', `${d.name}: unexpected ${JSON.stringify(t.text)} (expected weight, "REQUEST", "RECEIVE", l:N or u:N)`, at(t));
      ok = false;
    }
  }
  if (strings.length === 1) {
    diags.error('E_BAD_REAL', `${d.name}: a per-real request needs its receive string too: "REQUEST", "RECEIVE"`, d.valueAt);
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
    diags.error('E_BAD_FALLBACK', `${d.name} must be HOST[:PORT] [gate|masq|ipip], unexpected ${JSON.stringify(bad.text)}`, at(bad));
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
  if (!t.quoted && (FORWARDINGS as readonly string[]).includes(t.text)) return t.text as Forwarding;
  diags.error(name.startsWith('fallback') ? 'E_BAD_FALLBACK' : 'E_BAD_REAL', `${name}: forward method must be gate, masq or ipip, got ${JSON.stringify(t.text)}`, at);
  return undefined;
}

interface HostPort {
  readonly from: HostRef;
  readonly to?: HostRef;
  readonly port?: PortRef;
}

const NAME = /^[A-Za-z0-9.-]+$/;
const PORT = /^[A-Za-z0-9_-]+$/;

/** `HOST[->HOST2][:PORT]` or `[V6][:PORT]`. */
function parseHostPort(
  name: string,
  text: string,
  at: SourceRef,
  family: Family,
  rangeAllowed: boolean,
  diags: Diagnostics,
): HostPort | undefined {
  const bad = (code: 'E_BAD_ADDRESS' | 'E_FAMILY' | 'E_BAD_RANGE' | 'E_BAD_PORT', msg: string, col = 0): undefined => {
    diags.error(code, `${name}: ${msg}`, shift(at, col));
    return undefined;
  };
  let hostPart = text;
  let port: PortRef | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return bad('E_BAD_ADDRESS', `missing ] in ${JSON.stringify(text)}`);
    hostPart = text.slice(1, close);
    const after = text.slice(close + 1);
    if (after.startsWith('->')) return bad('E_BAD_RANGE', 'address ranges are not supported for IPv6', close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return bad('E_BAD_ADDRESS', `unexpected ${JSON.stringify(after)} after the address`, close + 1);
      port = { text: after.slice(1), at: shift(at, close + 2) };
    }
    if (family === 'inet') return bad('E_FAMILY', `cannot specify an IPv6 address here, use ${name}6`);
    if (isIP(hostPart) !== 6) return bad('E_BAD_ADDRESS', `invalid IPv6 address ${JSON.stringify(hostPart)}`, 1);
  } else {
    const colon = text.indexOf(':');
    if (colon >= 0) {
      if (text.indexOf(':', colon + 1) >= 0) return bad('E_BAD_ADDRESS', `IPv6 addresses must be written in brackets: [${text}]`);
      hostPart = text.slice(0, colon);
      port = { text: text.slice(colon + 1), at: shift(at, colon + 1) };
    }
  }
  if (port && !PORT.test(port.text)) {
    diags.error('E_BAD_PORT', `${name}: invalid port ${JSON.stringify(port.text)}`, port.at);
    return undefined;
  }
  const arrow = hostPart.indexOf('->');
  const fromText = arrow >= 0 ? hostPart.slice(0, arrow) : hostPart;
  const toText = arrow >= 0 ? hostPart.slice(arrow + 2) : undefined;
  if (toText !== undefined && !rangeAllowed) return bad('E_BAD_ADDRESS', 'address ranges are not allowed here');
  const from = hostRef(name, fromText, at, family, diags);
  if (!from) return undefined;
  let to: HostRef | undefined;
  if (toText !== undefined) {
    if (family === 'inet6') return bad('E_BAD_RANGE', 'address ranges are not supported for IPv6');
    to = hostRef(name, toText, shift(at, arrow + 2), family, diags);
    if (!to) return undefined;
  }
  return { from, to, port };
}

function hostRef(name: string, text: string, at: SourceRef, family: Family, diags: Diagnostics): HostRef | undefined {
  const v = isIP(text);
  if (v === 4 && family === 'inet6') {
    diags.error('E_FAMILY', `${name}: IPv4 address ${text} in an IPv6 directive`, at);
    return undefined;
  }
  if (v === 4 || v === 6) return { text, at, kind: 'literal' };
  if (text === '' || !NAME.test(text)) {
    diags.error('E_BAD_ADDRESS', `${name}: invalid address ${JSON.stringify(text)}`, at);
    return undefined;
  }
  if (/^[0-9.]+$/.test(text)) {
    diags.error('E_BAD_ADDRESS', `${name}: invalid IPv4 address ${JSON.stringify(text)}`, at);
    return undefined;
  }
  return { text, at, kind: 'name' };
}

/** Whitespace-separated words; "double quoted" strings are one token; a comma between tokens is a separator. */
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
