// IPVS_CMD_ATTR_DAEMON: the connection-sync daemon.
//
//   DAEMON ─┬─ STATE u32 (1 master, 2 backup)     ── identity (DEL_DAEMON)
//           ├─ MCAST_IFN "eth0\0" (≤15 chars)      ┐ required by NEW_DAEMON
//           ├─ SYNC_ID u32                         ┘
//           ├─ SYNC_MAXLEN u16                     ┐
//           ├─ MCAST_GROUP [4] (be) | MCAST_GROUP6 [16]  │ optional; replies always carry maxlen/port/ttl
//           ├─ MCAST_PORT u16 (host order)         │
//           └─ MCAST_TTL u8                        ┘

import type { SyncDaemon } from '../types';
import { addressBytes, formatIpv4, formatIpv6, parseIpv4 } from './address';
import {
  bytes,
  CodecError,
  getStr,
  getU16,
  getU32,
  getU8,
  required,
  str,
  u16,
  u32,
  u8,
  type Attr,
  type AttrMap,
} from './attrs';
import { DAEMON_ATTR, STATE_BACKUP, STATE_MASTER } from './constants';

export interface WireDaemon {
  readonly state: number;
  readonly mcastIfn?: string;
  readonly syncId?: number;
  readonly syncMaxlen?: number;
  readonly mcastGroup?: Buffer;
  readonly mcastGroup6?: Buffer;
  readonly mcastPort?: number;
  readonly mcastTtl?: number;
}

export const stateToNumber = (s: SyncDaemon['state']): number => (s === 'master' ? STATE_MASTER : STATE_BACKUP);

export function daemonToWire(d: SyncDaemon): WireDaemon {
  let group: { mcastGroup?: Buffer; mcastGroup6?: Buffer } = {};
  if (d.mcastGroup !== undefined) {
    group = parseIpv4(d.mcastGroup)
      ? { mcastGroup: addressBytes('inet', d.mcastGroup).subarray(0, 4) }
      : { mcastGroup6: addressBytes('inet6', d.mcastGroup) };
  }
  return {
    state: stateToNumber(d.state),
    mcastIfn: d.mcastInterface,
    syncId: d.syncId,
    ...(d.maxLength !== undefined ? { syncMaxlen: d.maxLength } : {}),
    ...group,
    ...(d.mcastPort !== undefined ? { mcastPort: d.mcastPort } : {}),
    ...(d.mcastTtl !== undefined ? { mcastTtl: d.mcastTtl } : {}),
  };
}

export function encodeWireDaemon(w: WireDaemon): Attr[] {
  const out: Attr[] = [u32(DAEMON_ATTR.STATE, w.state)];
  if (w.mcastIfn !== undefined) out.push(str(DAEMON_ATTR.MCAST_IFN, w.mcastIfn));
  if (w.syncId !== undefined) out.push(u32(DAEMON_ATTR.SYNC_ID, w.syncId));
  if (w.syncMaxlen !== undefined) out.push(u16(DAEMON_ATTR.SYNC_MAXLEN, w.syncMaxlen));
  if (w.mcastGroup !== undefined) out.push(bytes(DAEMON_ATTR.MCAST_GROUP, w.mcastGroup));
  if (w.mcastGroup6 !== undefined) out.push(bytes(DAEMON_ATTR.MCAST_GROUP6, w.mcastGroup6));
  if (w.mcastPort !== undefined) out.push(u16(DAEMON_ATTR.MCAST_PORT, w.mcastPort));
  if (w.mcastTtl !== undefined) out.push(u8(DAEMON_ATTR.MCAST_TTL, w.mcastTtl));
  return out;
}

export function decodeWireDaemon(m: AttrMap, where: string): WireDaemon {
  return {
    state: required(getU32(m, DAEMON_ATTR.STATE, where), 'IPVS_DAEMON_ATTR_STATE', where),
    mcastIfn: getStr(m, DAEMON_ATTR.MCAST_IFN),
    syncId: getU32(m, DAEMON_ATTR.SYNC_ID, where),
    syncMaxlen: getU16(m, DAEMON_ATTR.SYNC_MAXLEN, where),
    mcastGroup: m.get(DAEMON_ATTR.MCAST_GROUP),
    mcastGroup6: m.get(DAEMON_ATTR.MCAST_GROUP6),
    mcastPort: getU16(m, DAEMON_ATTR.MCAST_PORT, where),
    mcastTtl: getU8(m, DAEMON_ATTR.MCAST_TTL, where),
  };
}

export function wireToDaemon(w: WireDaemon, where: string): SyncDaemon {
  let state: SyncDaemon['state'];
  if (w.state === STATE_MASTER) state = 'master';
  else if (w.state === STATE_BACKUP) state = 'backup';
  else throw new CodecError(`${where}: unknown sync daemon state ${w.state}`);
  const group =
    w.mcastGroup6 && w.mcastGroup6.length >= 16
      ? formatIpv6(w.mcastGroup6)
      : w.mcastGroup && w.mcastGroup.length >= 4
        ? formatIpv4(w.mcastGroup)
        : undefined;
  return {
    state,
    mcastInterface: required(w.mcastIfn, 'IPVS_DAEMON_ATTR_MCAST_IFN', where),
    syncId: required(w.syncId, 'IPVS_DAEMON_ATTR_SYNC_ID', where),
    ...(w.syncMaxlen !== undefined ? { maxLength: w.syncMaxlen } : {}),
    ...(group !== undefined ? { mcastGroup: group } : {}),
    ...(w.mcastPort !== undefined ? { mcastPort: w.mcastPort } : {}),
    ...(w.mcastTtl !== undefined ? { mcastTtl: w.mcastTtl } : {}),
  };
}
