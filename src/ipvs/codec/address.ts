// IP addresses as the kernel stores them (`union nf_inet_addr`, 16 bytes, IPv4 in the first 4) and as the
// model writes them (canonical text: dotted quad, or RFC 5952 IPv6 with the longest zero run compressed).
// Parsing and formatting live in src/model/address.ts, the one address module of the tree.

import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../../model/address';
import type { IpvsFamily } from '../types';

export { formatIpv4, formatIpv6, parseIpv4, parseIpv6 };

export class AddressError extends Error {
  readonly code = 'IPVS_BAD_ADDRESS';
  constructor(message: string) {
    super(message);
    this.name = 'AddressError';
  }
}

/** The 16-byte kernel form of an address of the given family; throws AddressError naming the text. */
export function addressBytes(family: IpvsFamily, text: string): Buffer {
  const raw = family === 'inet' ? parseIpv4(text) : parseIpv6(text);
  if (!raw) throw new AddressError(`not an ${family === 'inet' ? 'IPv4' : 'IPv6'} address: ${JSON.stringify(text)}`);
  const out = Buffer.alloc(16);
  raw.copy(out);
  return out;
}

export function formatAddress(family: IpvsFamily, bytes: Uint8Array): string {
  return family === 'inet' ? formatIpv4(bytes) : formatIpv6(bytes);
}

/** Canonical text for an address (what a kernel read-back gives). */
export function canonicalAddress(family: IpvsFamily, text: string): string {
  return formatAddress(family, addressBytes(family, text));
}

/** IPv4 netmask text ↔ the big-endian u32 the kernel stores. */
export function ipv4MaskToNumber(text: string): number {
  const b = parseIpv4(text);
  if (!b) throw new AddressError(`not an IPv4 netmask: ${JSON.stringify(text)}`);
  return b.readUInt32BE(0);
}

export function numberToIpv4Mask(n: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return formatIpv4(b);
}
