// The `virtual=` / `virtual6=` opener (docs/behaviour.md §2.3) → an unresolved key.
//
//   virtual=A.B.C.D:PORT | virtual=HOST:PORT | virtual=MARK
//   virtual6=[V6]:PORT   | virtual6=HOST:PORT | virtual6=MARK
//
// PORT is a number or a service name. `virtual=ADDRESS` without a port is an error here (ldirectord silently
// read the leading digits as a firewall mark, docs/behaviour.md §5.2 #15).

import type { Family } from '../model/config';
import type { Diagnostics } from './diagnostics';
import { shift } from './diagnostics';
import type { RawDirective } from './raw';
import { parseHostPort } from './host-port';
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
  // ADDRESS:PORT is the config's one host:port grammar (host-port.ts); text after it is ignored with a warning.
  const m = /^(\S+)(.*)$/.exec(text);
  const token = m?.[1] ?? '';
  const rest = m?.[2] ?? '';
  if (family === 'inet' && !token.startsWith('[') && /^[0-9A-Fa-f]*:[0-9A-Fa-f]*:/.test(token)) {
    diags.error(
      'E_BAD_ADDRESS',
      `${d.name}: IPv6 addresses must be written in brackets with virtual6: virtual6=[ADDRESS]:PORT`,
      d.valueAt,
    );
    return undefined;
  }
  if (!/:[^:\]]+$/.test(token) || token.endsWith(']')) {
    diags.error(
      'E_MISSING_PORT',
      `${d.name}: ${JSON.stringify(text)} has no port: write ADDRESS:PORT, or a bare number for a firewall mark`,
      d.valueAt,
    );
    return undefined;
  }
  const hp = parseHostPort(d.name, token, d.valueAt, family, false, diags);
  if (!hp?.port) return undefined;
  if (rest.trim() !== '') {
    diags.warn(
      'W_TRAILING_TEXT',
      `${d.name}: ignored ${JSON.stringify(rest.trim())} after the address`,
      shift(d.valueAt, token.length),
    );
  }
  return { kind: 'address', family, host: hp.from, port: hp.port };
}
