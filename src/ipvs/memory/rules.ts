// The kernel's rules for what IPVS accepts, as pure predicates (net/netfilter/ipvs/ip_vs_ctl.c, 6.x; the
// reference is docs/ipvs-protocol.md §4 and §5).

import { addressBytes } from '../codec/address';
import type { IpvsFamily } from '../types';

/** Schedulers a stock 6.x kernel can load (Kconfig), plus the pseudo-scheduler "none". */
export const KERNEL_SCHEDULERS: readonly string[] = [
  'rr',
  'wrr',
  'lc',
  'wlc',
  'fo',
  'ovf',
  'lblc',
  'lblcr',
  'dh',
  'sh',
  'mh',
  'sed',
  'nq',
  'twos',
];

/** Persistence engines (ip_vs_pe_<name>). */
export const KERNEL_PERSISTENCE_ENGINES: readonly string[] = ['sip'];

/** IP_VS_SCHEDNAME_MAXLEN is 16 with the NUL: the policy rejects longer names with EINVAL. */
export const SCHED_NAME_MAX = 15;
export const PE_NAME_MAX = 16;

/**
 * What ip_vs_new_dest accepts as a destination address: IPv4 whose route type is unicast or local (so not
 * 0.0.0.0/8, multicast 224/4 or the limited broadcast), IPv6 unicast that is not link-local (the kernel lets
 * a link-local through only when it is an address of this host, which a table without interfaces cannot
 * know).
 */
export function isUsableDestAddress(family: IpvsFamily, address: string): boolean {
  const b = addressBytes(family, address);
  if (family === 'inet') {
    const first = b[0] ?? 0;
    if (first === 0) return false;
    if (first >= 224 && first <= 239) return false;
    if (b.subarray(0, 4).every((x) => x === 255)) return false;
    return true;
  }
  if (b.every((x) => x === 0)) return false; // unspecified ::
  if (b[0] === 0xff) return false; // multicast
  if (b[0] === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) return false; // link-local fe80::/10
  return true;
}

export function isValidIpv6Prefix(n: number): boolean {
  return n >= 1 && n <= 128;
}
