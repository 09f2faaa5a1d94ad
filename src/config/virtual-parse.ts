// The `virtual=` / `virtual6=` opener (reference §2.3) → an unresolved key.
//
//   virtual=A.B.C.D:PORT | virtual=HOST:PORT | virtual=MARK
//   virtual6=[V6]:PORT   | virtual6=HOST:PORT | virtual6=MARK
//
// PORT is a number or a service name. `virtual=ADDRESS` without a port is an error here (ldirectord silently
// read the leading digits as a firewall mark, reference §5.2 #15).

import { isIP } from 'node:net';
import type { Family } from '../model/config';
import type { Diagnostics } from './diagnostics';
import { shift } from './diagnostics';
import type { RawDirective } from './raw';
import type { HostRef, PortRef } from './real-parse';

export type VirtualKeySpec =
  | { readonly kind: 'fwmark'; readonly family: Family; readonly mark: number }
  | { readonly kind: 'address'; readonly family: Family; readonly host: HostRef; readonly port: PortRef };

const MAX_MARK = 2 ** 32 - 1;

export function parseVirtualOpener(d: RawDirective, diags: Diagnostics): VirtualKeySpec | undefined {
  const family: Family = d.name === 'virtual6' ? 'inet6' : 'inet';
  const text = d.text.trim();
  if (text === '') {
    diags.error('E_EMPTY_VALUE', `${d.name} needs ADDRESS:PORT or a firewall mark`, d.valueAt);
    return undefined;
  }
  if (/^\d+$/.test(text)) {
    const mark = text.length > 10 ? Number.POSITIVE_INFINITY : Number(text);
    if (mark >= 1 && mark <= MAX_MARK) return { kind: 'fwmark', family, mark };
    diags.error('E_BAD_VALUE', `${d.name}: firewall mark must be 1..${MAX_MARK}, got ${text}`, d.valueAt);
    return undefined;
  }
  let hostText: string;
  let portText: string | undefined;
  let portOffset = 0;
  let rest = '';
  const bracket = /^\[([^\]]*)\](?::([^\s]*))?(.*)$/.exec(text);
  if (bracket) {
    if (family === 'inet') {
      diags.error('E_FAMILY', 'cannot specify an IPv6 address here, use virtual6', d.valueAt);
      return undefined;
    }
    hostText = bracket[1] ?? '';
    portText = bracket[2];
    portOffset = hostText.length + 3;
    rest = bracket[3] ?? '';
    if (isIP(hostText) !== 6) {
      diags.error('E_BAD_ADDRESS', `virtual6: invalid IPv6 address ${JSON.stringify(hostText)}`, shift(d.valueAt, 1));
      return undefined;
    }
  } else {
    if (/^[0-9A-Fa-f]*:[0-9A-Fa-f]*:/.test(text)) {
      diags.error('E_BAD_ADDRESS', `${d.name}: IPv6 addresses must be written in brackets with virtual6: virtual6=[ADDRESS]:PORT`, d.valueAt);
      return undefined;
    }
    const m = /^([^\s:]+)(?::([^\s]*))?(.*)$/.exec(text);
    hostText = m?.[1] ?? '';
    portText = m?.[2];
    portOffset = hostText.length + 1;
    rest = m?.[3] ?? '';
    if (family === 'inet6' && isIP(hostText) === 4) {
      diags.error('E_FAMILY', `virtual6: IPv4 address ${hostText} in a virtual6 line, use virtual`, d.valueAt);
      return undefined;
    }
    if (isIP(hostText) === 0 && !/^[A-Za-z0-9.-]+$/.test(hostText)) {
      diags.error('E_BAD_ADDRESS', `${d.name}: invalid address ${JSON.stringify(hostText)}`, d.valueAt);
      return undefined;
    }
    if (isIP(hostText) === 0 && /^[0-9.]+$/.test(hostText)) {
      diags.error('E_BAD_ADDRESS', `${d.name}: invalid IPv4 address ${JSON.stringify(hostText)}`, d.valueAt);
      return undefined;
    }
  }
  if (portText === undefined || portText === '') {
    diags.error('E_MISSING_PORT', `${d.name}: ${JSON.stringify(text)} has no port: write ADDRESS:PORT, or a bare number for a firewall mark`, d.valueAt);
    return undefined;
  }
  if (!/^[0-9A-Za-z_-]+$/.test(portText)) {
    diags.error('E_BAD_PORT', `${d.name}: invalid port ${JSON.stringify(portText)}`, shift(d.valueAt, portOffset));
    return undefined;
  }
  if (rest.trim() !== '') {
    diags.warn('W_TRAILING_TEXT', `${d.name}: ignored ${JSON.stringify(rest.trim())} after the address`, shift(d.valueAt, text.indexOf(rest)));
  }
  const host: HostRef = { text: hostText, at: shift(d.valueAt, bracket ? 1 : 0), kind: isIP(hostText) ? 'literal' : 'name' };
  return { kind: 'address', family, host, port: { text: portText, at: shift(d.valueAt, portOffset) } };
}
