// Shape checks on model values before anything is encoded or stored: the things the kernel cannot be asked
// about because they do not survive encoding (an address that is not an address, a port of 70000, a
// fractional weight). Both the netlink client and the in-memory table run these, so they fail alike, with
// IpvsError code IPVS_BAD_REQUEST naming the field. Kernel rules (ERANGE weight < 0, EINVAL prefix 0, …) are
// NOT checked here: the kernel (or the memory table, which imitates it) answers those.

import { addressBytes, parseIpv4 } from './codec/address';
import { ERRNO, IpvsError, type IpvsOperation } from './errors';
import type { DestKey, IpvsDest, IpvsService, IpvsTimeouts, ServiceKey, SyncDaemon } from './types';

function bad(op: IpvsOperation, message: string): IpvsError {
  return new IpvsError(op, ERRNO.EINVAL, message, { code: 'IPVS_BAD_REQUEST' });
}

function int(op: IpvsOperation, what: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw bad(op, `${what} must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  }
}

function family(op: IpvsOperation, what: string, f: unknown): void {
  if (f !== 'inet' && f !== 'inet6')
    throw bad(op, `${what} family must be "inet" or "inet6", got ${JSON.stringify(f)}`);
}

function address(op: IpvsOperation, what: string, f: 'inet' | 'inet6', a: unknown): void {
  if (typeof a !== 'string') throw bad(op, `${what} address must be a string, got ${JSON.stringify(a)}`);
  try {
    addressBytes(f, a);
  } catch (e) {
    throw bad(op, `${what} address: ${(e as Error).message}`);
  }
}

const U32 = 0xffffffff;
const S32_MIN = -0x80000000;
const S32_MAX = 0x7fffffff;

export function checkServiceKey(op: IpvsOperation, k: ServiceKey): void {
  if (typeof k !== 'object' || k === null) throw bad(op, `service must be an object, got ${JSON.stringify(k)}`);
  family(op, 'service', k.family);
  if ('fwmark' in k) {
    int(op, 'service fwmark', k.fwmark, 1, U32);
    return;
  }
  if (k.protocol !== 'tcp' && k.protocol !== 'udp' && k.protocol !== 'sctp') {
    throw bad(op, `service protocol must be tcp, udp or sctp, got ${JSON.stringify(k.protocol)}`);
  }
  address(op, 'service', k.family, k.address);
  int(op, 'service port', k.port, 0, 65535);
}

export function checkService(op: IpvsOperation, s: IpvsService): void {
  checkServiceKey(op, s);
  if (typeof s.scheduler !== 'string' || s.scheduler === '')
    throw bad(op, `service scheduler must be a non-empty string`);
  if (typeof s.flags !== 'object' || s.flags === null) throw bad(op, 'service flags must be an object');
  int(op, 'service persistence timeout', s.timeout, 0, U32);
  if (s.family === 'inet') {
    if (typeof s.netmask === 'number') int(op, 'service netmask prefix', s.netmask, 0, 32);
    else if (typeof s.netmask !== 'string' || !parseIpv4(s.netmask)) {
      throw bad(op, `IPv4 service netmask must be a dotted mask, got ${JSON.stringify(s.netmask)}`);
    }
  } else {
    const n = typeof s.netmask === 'string' && /^\d+$/.test(s.netmask) ? Number(s.netmask) : s.netmask;
    int(op, 'IPv6 service netmask (prefix length)', n, 0, U32);
  }
  if (s.peName !== undefined && typeof s.peName !== 'string')
    throw bad(op, 'service persistence engine must be a string');
}

export function checkDestKey(op: IpvsOperation, d: DestKey): void {
  if (typeof d !== 'object' || d === null) throw bad(op, `destination must be an object, got ${JSON.stringify(d)}`);
  family(op, 'destination', d.family);
  address(op, 'destination', d.family, d.address);
  int(op, 'destination port', d.port, 0, 65535);
}

const FORWARDINGS = new Set(['masq', 'local', 'tunnel', 'route', 'bypass']);

export function checkDest(op: IpvsOperation, d: IpvsDest): void {
  checkDestKey(op, d);
  if (!FORWARDINGS.has(d.forwarding))
    throw bad(
      op,
      `destination forwarding must be one of ${[...FORWARDINGS].join(', ')}, got ${JSON.stringify(d.forwarding)}`,
    );
  int(op, 'destination weight', d.weight, S32_MIN, S32_MAX);
  int(op, 'destination upper threshold', d.upperThreshold, 0, U32);
  int(op, 'destination lower threshold', d.lowerThreshold, 0, U32);
  if (d.tunnel !== undefined) {
    if (!['ipip', 'gue', 'gre'].includes(d.tunnel.type))
      throw bad(op, `tunnel type must be ipip, gue or gre, got ${JSON.stringify(d.tunnel.type)}`);
    if (!['nocsum', 'csum', 'remcsum'].includes(d.tunnel.csum))
      throw bad(op, `tunnel checksum must be nocsum, csum or remcsum, got ${JSON.stringify(d.tunnel.csum)}`);
    int(op, 'tunnel port', d.tunnel.port, 0, 65535);
  }
}

export function checkTimeouts(op: IpvsOperation, t: IpvsTimeouts): void {
  int(op, 'tcp timeout', t.tcp, 0, S32_MAX);
  int(op, 'tcpfin timeout', t.tcpFin, 0, S32_MAX);
  int(op, 'udp timeout', t.udp, 0, S32_MAX);
}

export function checkDaemon(op: IpvsOperation, d: SyncDaemon): void {
  if (d.state !== 'master' && d.state !== 'backup')
    throw bad(op, `sync daemon state must be master or backup, got ${JSON.stringify(d.state)}`);
  if (typeof d.mcastInterface !== 'string' || d.mcastInterface === '' || d.mcastInterface.length > 15) {
    throw bad(op, `sync daemon interface must be a name of 1..15 characters, got ${JSON.stringify(d.mcastInterface)}`);
  }
  int(op, 'sync daemon id', d.syncId, 0, 255);
  if (d.maxLength !== undefined) int(op, 'sync daemon max length', d.maxLength, 0, 65535);
  if (d.mcastPort !== undefined) int(op, 'sync daemon port', d.mcastPort, 0, 65535);
  if (d.mcastTtl !== undefined) int(op, 'sync daemon ttl', d.mcastTtl, 0, 255);
  if (d.mcastGroup !== undefined) {
    if (typeof d.mcastGroup !== 'string') throw bad(op, 'sync daemon group must be a string');
    address(op, 'sync daemon group', parseIpv4(d.mcastGroup) ? 'inet' : 'inet6', d.mcastGroup);
  }
}
