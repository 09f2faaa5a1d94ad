// Human text for services, destinations and kernel refusals, so every IPVS error names what it was about:
// "add-dest 10.0.0.2:80 to tcp 10.0.0.1:80: EEXIST (the destination already exists)".

import { errnoName, type IpvsOperation } from './errors';
import type { DestKey, ServiceKey } from './types';

export function describeKey(k: ServiceKey): string {
  if ('fwmark' in k) return `fwmark ${k.fwmark}${k.family === 'inet6' ? ' (IPv6)' : ''}`;
  return `${k.protocol} ${k.family === 'inet6' ? `[${k.address}]` : k.address}:${k.port}`;
}

export function describeDest(d: DestKey): string {
  return d.family === 'inet6' ? `[${d.address}]:${d.port}` : `${d.address}:${d.port}`;
}

const NO_SERVICE = 'no such virtual service';
const BAD_DEST =
  'invalid destination: not a unicast address, GUE tunnel without a port, or another address family ' +
  'without tunnel forwarding or while a sync daemon runs';
const RANGE = 'weight below 0, or lower threshold above upper threshold';
const MODULE = 'scheduler or persistence engine module not found (ip_vs_<name> / ip_vs_pe_<name>)';

/** What an errno means for an operation, as the kernel's IPVS code uses it (docs/ipvs-protocol.md §5). */
const MEANINGS: Partial<Record<IpvsOperation, Partial<Record<string, string>>>> = {
  'get-service': { ESRCH: NO_SERVICE },
  'add-service': {
    EEXIST: 'the virtual service already exists',
    ENOENT: MODULE,
    EINVAL: 'invalid service (IPv6 netmask must be a prefix length 1..128)',
  },
  'edit-service': {
    ESRCH: NO_SERVICE,
    ENOENT: MODULE,
    EINVAL: 'invalid service (IPv6 netmask must be a prefix length 1..128)',
  },
  'delete-service': { ESRCH: NO_SERVICE },
  'list-dests': { ESRCH: NO_SERVICE },
  'add-dest': { ESRCH: NO_SERVICE, EEXIST: 'the destination already exists', ERANGE: RANGE, EINVAL: BAD_DEST },
  'edit-dest': { ESRCH: NO_SERVICE, ENOENT: 'no such destination in this service', ERANGE: RANGE, EINVAL: BAD_DEST },
  'delete-dest': { ESRCH: NO_SERVICE, ENOENT: 'no such destination in this service' },
  zero: { ESRCH: NO_SERVICE },
  'start-daemon': {
    EEXIST: 'a sync daemon in this state is already running',
    ENODEV: 'no such network interface',
    EINVAL: 'invalid sync daemon (multicast group not multicast, or mixed-family destinations exist)',
  },
  'stop-daemon': { ESRCH: 'no sync daemon in this state is running' },
};

export function explainErrno(operation: IpvsOperation, errno: number): string {
  const name = errnoName(errno);
  const meaning = MEANINGS[operation]?.[name];
  return meaning ? `${name} (${meaning})` : `${name} (errno ${errno})`;
}
