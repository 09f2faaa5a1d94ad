// The one host:port grammar of the config (real=, fallback=, virtual=), docs/behaviour.md §2.3 and §2.5:
//
//   HOST[->HOST2][:PORT]     HOST a dotted IPv4 address or a host name ([A-Za-z0-9.-]+); ranges only where allowed
//   [V6][:PORT]              an IPv6 literal in brackets (never a range)
//
// PORT is a number or a service name, resolved later. Family mismatches (an IPv6 literal in an IPv4 directive and
// the reverse) are reported here, naming the directive.

import { isIP } from 'node:net';
import type { Family, SourceRef } from '../model/config';
import type { Diagnostics } from './diagnostics';
import { shift } from './diagnostics';
import type { HostRef, PortRef } from './real-parse';

export interface HostPort {
  readonly from: HostRef;
  readonly to?: HostRef;
  readonly port?: PortRef;
}

const NAME = /^[A-Za-z0-9.-]+$/;
const PORT = /^[A-Za-z0-9_-]+$/;

/** `HOST[->HOST2][:PORT]` or `[V6][:PORT]`. */
export function parseHostPort(
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
      if (!after.startsWith(':'))
        return bad('E_BAD_ADDRESS', `unexpected ${JSON.stringify(after)} after the address`, close + 1);
      port = { text: after.slice(1), at: shift(at, close + 2) };
    }
    if (family === 'inet') return bad('E_FAMILY', `cannot specify an IPv6 address here, use ${name}6`);
    if (isIP(hostPart) !== 6) return bad('E_BAD_ADDRESS', `invalid IPv6 address ${JSON.stringify(hostPart)}`, 1);
  } else {
    const colon = text.indexOf(':');
    if (colon >= 0) {
      if (text.indexOf(':', colon + 1) >= 0)
        return bad('E_BAD_ADDRESS', `IPv6 addresses must be written in brackets: [${text}]`);
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
