// Config model → IPVS model: the one place that decides how a virtual service, a real server and a sorry server
// look in the kernel. Used by --print-table and by the daemon's desired-table builder.

import type { IpvsDest, IpvsForwarding, IpvsService, ServiceFlags, ServiceKey } from '../ipvs/types';
import type { Fallback, Forwarding, RealServer, VirtualService } from '../model/config';

const FORWARDING: Readonly<Record<Forwarding, IpvsForwarding>> = { gate: 'route', masq: 'masq', ipip: 'tunnel' };

export function toServiceKey(v: VirtualService): ServiceKey {
  if (v.fwmark !== undefined) return { family: v.family, fwmark: v.fwmark };
  return { family: v.family, protocol: v.protocol === 'udp' ? 'udp' : 'tcp', address: v.address ?? '', port: v.port };
}

export function toIpvsService(v: VirtualService): IpvsService {
  const flags = schedFlags(v.schedflags);
  const persistent = v.persistent !== undefined;
  const serviceFlags: ServiceFlags = {
    persistent,
    onePacket: v.ops && v.protocol === 'udp',
    ...flags,
  };
  const defaultMask = v.family === 'inet' ? '255.255.255.255' : 128;
  const settings = {
    scheduler: v.scheduler,
    flags: serviceFlags,
    timeout: v.persistent ?? 0,
    netmask: persistent ? (v.netmask ?? defaultMask) : defaultMask,
  };
  // The key's fields written out (as toServiceKey): spreading its union-shaped result cost ~6 µs a call in V8,
  // and a reload at 2,277 virtuals calls this several times per virtual.
  if (v.fwmark !== undefined) return { family: v.family, fwmark: v.fwmark, ...settings };
  return {
    family: v.family,
    protocol: v.protocol === 'udp' ? 'udp' : 'tcp',
    address: v.address ?? '',
    port: v.port,
    ...settings,
  };
}

/**
 * A real's kernel entry. At its configured weight the entry is made once per (virtual, real) and the same
 * object returned after (config objects are frozen): the desired table asks for every real's entry at every
 * pass, and an entry that is the very one it knows is recognised without comparing it (shapes.ts mappedNow).
 */
export function toIpvsDest(v: VirtualService, r: RealServer, weight: number = r.weight): IpvsDest {
  if (weight !== r.weight) return makeDest(v, r, weight);
  const known = configuredDests.get(r);
  if (known?.virtual === v) return known.dest;
  const dest = makeDest(v, r, weight);
  configuredDests.set(r, { virtual: v, dest });
  return dest;
}

const configuredDests = new WeakMap<RealServer, { readonly virtual: VirtualService; readonly dest: IpvsDest }>();

function makeDest(v: VirtualService, r: RealServer, weight: number): IpvsDest {
  return {
    family: r.family,
    address: r.address,
    port: destPort(v, r.forwarding, r.port),
    forwarding: FORWARDING[r.forwarding],
    weight,
    upperThreshold: r.upperThreshold,
    lowerThreshold: r.lowerThreshold,
  };
}

/** The sorry server: weight 1, no thresholds. */
export function fallbackDest(v: VirtualService, f: Fallback): IpvsDest {
  return {
    family: f.family,
    address: f.address,
    port: destPort(v, f.forwarding, f.port),
    forwarding: FORWARDING[f.forwarding],
    weight: 1,
    upperThreshold: 0,
    lowerThreshold: 0,
  };
}

/**
 * The port the kernel keeps for a destination, as ipvsadm computes it for the commands the Perl ldirectord
 * issues (`-a ... -r RIP:RPORT`): for a TCP/UDP service a gate/ipip destination takes the service's port (only
 * NAT can map ports); for a firewall-mark service every destination keeps its configured port, whatever its
 * forwarding, because ipvsadm rewrites gate/ipip ports only for TCP/UDP services and the kernel keeps what it is
 * given. docs/compat.md ("Ports of real servers") has the table.
 */
function destPort(v: VirtualService, forwarding: Forwarding, port: number): number {
  if (forwarding === 'masq' || v.fwmark !== undefined) return port;
  return v.port;
}

const NO_SCHED_FLAGS = Object.freeze({ sched1: false, sched2: false, sched3: false });

/** schedflags text → IP_VS_SVC_F_SCHED1..3 (sh-fallback/mh-fallback = 1, sh-port/mh-port = 2). */
export function schedFlags(text: string | undefined): Pick<ServiceFlags, 'sched1' | 'sched2' | 'sched3'> {
  if (text === undefined || text === '') return NO_SCHED_FLAGS; // the common case, without a Set per call
  const flags = new Set((text ?? '').split(',').map((s) => s.trim()));
  return {
    sched1: flags.has('sh-fallback') || flags.has('mh-fallback') || flags.has('flag-1'),
    sched2: flags.has('sh-port') || flags.has('mh-port') || flags.has('flag-2'),
    sched3: flags.has('flag-3'),
  };
}
