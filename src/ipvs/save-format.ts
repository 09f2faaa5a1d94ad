// The IPVS table as `ipvsadm -S -n` (ipvsadm 1.31) prints it, one rule per line:
//
//   -A -t 192.0.2.1:80 -s wrr [-p 300 [-M 255.255.255.0]] [--pe sip] [-o] [-b sh-fallback,sh-port]
//   -a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 1
//   -A -f 7 -6 -s wrr
//   -a -f 7 -6 -r [2001:db8::1]:0 -i -w 1 --tun-type ipip
//
// -M is printed only when persistent and not the full mask (255.255.255.255 / 128); thresholds are not part of
// the save format. Tunnel destinations carry --tun-type (and --tun-port / checksum options for gue and gre).

import type { IpvsDest, IpvsService, ServiceKey } from './types';

export interface TableEntry {
  readonly service: IpvsService;
  readonly dests: readonly IpvsDest[];
}

export function formatTable(entries: readonly TableEntry[]): string {
  const lines: string[] = [];
  for (const e of entries) {
    lines.push(formatService(e.service));
    for (const d of e.dests) lines.push(formatDest(e.service, d));
  }
  return lines.map((l) => `${l}\n`).join('');
}

export function serviceName(key: ServiceKey): string {
  if ('fwmark' in key) return key.family === 'inet6' ? `-f ${key.fwmark} -6` : `-f ${key.fwmark}`;
  const flag = key.protocol === 'tcp' ? '-t' : key.protocol === 'udp' ? '-u' : '--sctp-service';
  return `${flag} ${addrPort(key.family, key.address, key.port)}`;
}

export function formatService(s: IpvsService): string {
  let out = `-A ${serviceName(s)} -s ${s.scheduler}`;
  if (s.flags.persistent) {
    out += ` -p ${s.timeout}`;
    const family = s.family;
    if (family === 'inet' && s.netmask !== '255.255.255.255') out += ` -M ${s.netmask}`;
    if (family === 'inet6' && Number(s.netmask) !== 128) out += ` -M ${s.netmask}`;
  }
  if (s.peName) out += ` --pe ${s.peName}`;
  if (s.flags.onePacket) out += ' -o';
  const flags = schedFlagNames(s);
  if (flags.length > 0) out += ` -b ${flags.join(',')}`;
  return out;
}

export function formatDest(s: IpvsService, d: IpvsDest): string {
  const base = `-a ${serviceName(s)} -r ${addrPort(d.family, d.address, d.port)} ${fwdSwitch(d)} -w ${d.weight}`;
  if (d.forwarding !== 'tunnel') return base;
  const t = d.tunnel ?? { type: 'ipip', port: 0, csum: 'nocsum' };
  if (t.type === 'ipip') return `${base} --tun-type ipip`;
  const csum = t.csum === 'nocsum' ? '--tun-nocsum' : t.csum === 'csum' ? '--tun-csum' : '--tun-remcsum';
  if (t.type === 'gue') return `${base} --tun-type gue --tun-port ${t.port} ${csum}`;
  return `${base} --tun-type ${t.type} ${csum}`;
}

function fwdSwitch(d: IpvsDest): string {
  switch (d.forwarding) {
    case 'masq':
      return '-m';
    case 'tunnel':
      return '-i';
    default:
      return '-g';
  }
}

/** ipvsadm names the flags after the scheduler: sh-*, mh-*, else flag-N. */
function schedFlagNames(s: IpvsService): string[] {
  const f = s.flags;
  if (s.scheduler === 'sh' || s.scheduler === 'mh') {
    const p = s.scheduler;
    return [f.sched1 ? `${p}-fallback` : '', f.sched2 ? `${p}-port` : '', f.sched3 ? 'flag-3' : ''].filter(Boolean);
  }
  return [f.sched1 ? 'flag-1' : '', f.sched2 ? 'flag-2' : '', f.sched3 ? 'flag-3' : ''].filter(Boolean);
}

function addrPort(family: 'inet' | 'inet6', address: string, port: number): string {
  return family === 'inet6' ? `[${address}]:${port}` : `${address}:${port}`;
}
