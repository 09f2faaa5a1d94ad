// Turning host and port references into addresses and numbers through the injected Resolver, and expanding
// IPv4 ranges (numerically: ldirectord compared them as strings, docs/behaviour.md §5.2 #19).

import { isIP } from 'node:net';
import { canonicalIp, intToIpv4, ipv4ToInt } from '../model/address';
import type { Family, SourceRef } from '../model/config';
import type { Diagnostics } from './diagnostics';
import type { HostRef, PortRef } from './real-parse';
import type { Resolver } from './resolver';

/** Largest range a single `real=a->b` may expand to (a guard against typos like 10.0.0.1->10.255.255.255). */
export const MAX_RANGE = 65536;

/** Canonical text of an address: IPv4 as is, IPv6 compressed lowercase (RFC 5952, src/model/address.ts). */
export function canonicalAddress(address: string): string {
  if (isIP(address) !== 6) return address;
  return canonicalIp(address) ?? address.toLowerCase();
}

export async function resolveHost(
  name: string,
  host: HostRef,
  family: Family,
  resolver: Resolver,
  diags: Diagnostics,
): Promise<string | undefined> {
  if (host.kind === 'literal') return canonicalAddress(host.text);
  let address: string;
  try {
    address = await resolver.lookup(host.text, family);
  } catch (e) {
    const why = e instanceof Error && 'code' in e ? ` (${String((e as { code: unknown }).code)})` : '';
    diags.error(
      'E_RESOLVE',
      `${name}: could not resolve host ${JSON.stringify(host.text)} to an ${family === 'inet' ? 'IPv4' : 'IPv6'} address${why}`,
      host.at,
    );
    return undefined;
  }
  const v = isIP(address);
  if ((family === 'inet' && v !== 4) || (family === 'inet6' && v !== 6)) {
    diags.error(
      'E_RESOLVE',
      `${name}: host ${JSON.stringify(host.text)} resolved to ${JSON.stringify(address)}, not an ${family === 'inet' ? 'IPv4' : 'IPv6'} address`,
      host.at,
    );
    return undefined;
  }
  return canonicalAddress(address);
}

/** A port number (0..65535) or a service name. */
export async function resolvePort(
  name: string,
  port: PortRef,
  protocol: 'tcp' | 'udp' | 'any',
  resolver: Resolver,
  diags: Diagnostics,
  min = 0,
): Promise<number | undefined> {
  if (/^\d+$/.test(port.text)) {
    const n = port.text.length > 6 ? Number.POSITIVE_INFINITY : Number(port.text);
    if (n >= min && n <= 65535) return n;
    diags.error('E_BAD_PORT', `${name}: port must be ${min}..65535, got ${port.text}`, port.at);
    return undefined;
  }
  const n = await resolver.service(port.text, protocol);
  if (n === undefined) {
    diags.error(
      'E_BAD_PORT',
      `${name}: unknown service name ${JSON.stringify(port.text)}${protocol === 'any' ? '' : ` for ${protocol}`}`,
      port.at,
    );
    return undefined;
  }
  return n;
}

export function expandRange(
  name: string,
  from: string,
  to: string,
  at: SourceRef,
  diags: Diagnostics,
): string[] | undefined {
  const a = ipv4ToInt(from);
  const b = ipv4ToInt(to);
  if (a > b) {
    diags.error('E_BAD_RANGE', `${name}: range ${from}->${to} runs backwards`, at);
    return undefined;
  }
  if (b - a + 1 > MAX_RANGE) {
    diags.error('E_BAD_RANGE', `${name}: range ${from}->${to} has ${b - a + 1} addresses (at most ${MAX_RANGE})`, at);
    return undefined;
  }
  const out: string[] = [];
  for (let n = a; n <= b; n++) out.push(intToIpv4(n));
  return out;
}
