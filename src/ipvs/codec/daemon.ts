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
import { CodecError, getU32, required, type Attr, type AttrMap } from './attrs';
import { BYTES, decodeFields, encodeFields, STR, U16, U32, U8, type FieldTable } from './fields';
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

/** In the order of the diagram above. */
const DAEMON_FIELDS: FieldTable<WireDaemon> = [
  ['state', DAEMON_ATTR.STATE, U32],
  ['mcastIfn', DAEMON_ATTR.MCAST_IFN, STR],
  ['syncId', DAEMON_ATTR.SYNC_ID, U32],
  ['syncMaxlen', DAEMON_ATTR.SYNC_MAXLEN, U16],
  ['mcastGroup', DAEMON_ATTR.MCAST_GROUP, BYTES],
  ['mcastGroup6', DAEMON_ATTR.MCAST_GROUP6, BYTES],
  ['mcastPort', DAEMON_ATTR.MCAST_PORT, U16],
  ['mcastTtl', DAEMON_ATTR.MCAST_TTL, U8],
];

export const encodeWireDaemon = (w: WireDaemon): Attr[] => encodeFields(DAEMON_FIELDS, w);

export function decodeWireDaemon(m: AttrMap, where: string): WireDaemon {
  return {
    ...decodeFields(DAEMON_FIELDS, m, where),
    state: required(getU32(m, DAEMON_ATTR.STATE, where), 'IPVS_DAEMON_ATTR_STATE', where),
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
