// IPVS_CMD_ATTR_DEST: wire form ↔ model. Requests, in libipvs order (the kernel reads them in any order):
//
//   DEST ─┬─ ADDR_FAMILY u16     (optional in the kernel; we always send it)
//         ├─ ADDR [16]
//         ├─ PORT be16           ── identity ends here (DEL_DEST)
//         ├─ FWD_METHOD u32      (0 masq, 1 local, 2 tunnel, 3 route, 4 bypass)
//         ├─ WEIGHT u32          (a C int: negative travels as two's complement and gets ERANGE)
//         ├─ TUN_TYPE u8         ┐
//         ├─ TUN_PORT be16       │ only with FWD_METHOD tunnel
//         ├─ TUN_FLAGS u16       ┘
//         ├─ U_THRESH u32
//         └─ L_THRESH u32
//
// Replies (6.1): ADDR, PORT, FWD_METHOD, WEIGHT, TUN_TYPE, TUN_PORT, TUN_FLAGS, U_THRESH, L_THRESH,
// ACTIVE_CONNS, INACT_CONNS, PERSIST_CONNS, ADDR_FAMILY, STATS {…}, STATS64 {…}.

import type { DestKey, IpvsDest, IpvsDestEntry, IpvsFamily, IpvsForwarding, TunnelCsum, TunnelType } from '../types';
import { addressBytes, formatAddress } from './address';
import { addressAttr, CodecError, getBe16, getNested, required, type Attr, type AttrMap } from './attrs';
import { BE16, BYTES, decodeFields, encodeFields, S32, U16, U32, U8, type FieldTable } from './fields';
import {
  CONN_F_BYPASS,
  CONN_F_DROUTE,
  CONN_F_FWD_MASK,
  CONN_F_LOCALNODE,
  CONN_F_MASQ,
  CONN_F_TUNNEL,
  DEST_ATTR,
  TUNNEL_FLAG_CSUM,
  TUNNEL_FLAG_NOCSUM,
  TUNNEL_FLAG_REMCSUM,
  TUNNEL_TYPE_GRE,
  TUNNEL_TYPE_GUE,
  TUNNEL_TYPE_IPIP,
} from './constants';
import { afToFamily, familyToAf } from './family';
import { decodeStats, type WireStats } from './stats';

export interface WireDest {
  readonly addrFamily?: number;
  readonly addr: Buffer;
  readonly port: number;
  readonly fwdMethod?: number;
  readonly weight?: number;
  readonly tunType?: number;
  readonly tunPort?: number;
  readonly tunFlags?: number;
  readonly uThresh?: number;
  readonly lThresh?: number;
  readonly activeConns?: number;
  readonly inactConns?: number;
  readonly persistConns?: number;
  readonly stats?: WireStats;
  readonly stats64?: WireStats;
}

const FORWARDING: Record<IpvsForwarding, number> = {
  masq: CONN_F_MASQ,
  local: CONN_F_LOCALNODE,
  tunnel: CONN_F_TUNNEL,
  route: CONN_F_DROUTE,
  bypass: CONN_F_BYPASS,
};
const TUN_TYPES: Record<TunnelType, number> = { ipip: TUNNEL_TYPE_IPIP, gue: TUNNEL_TYPE_GUE, gre: TUNNEL_TYPE_GRE };
const TUN_CSUM: Record<TunnelCsum, number> = {
  nocsum: TUNNEL_FLAG_NOCSUM,
  csum: TUNNEL_FLAG_CSUM,
  remcsum: TUNNEL_FLAG_REMCSUM,
};

function reverse<K extends string>(table: Record<K, number>, n: number, what: string, where: string): K {
  for (const [k, v] of Object.entries(table)) if (v === n) return k as K;
  throw new CodecError(`${where}: unknown ${what} ${n}`);
}

export function destKeyToWire(d: DestKey): WireDest {
  return { addrFamily: familyToAf(d.family), addr: addressBytes(d.family, d.address), port: d.port };
}

export function destToWire(d: IpvsDest): WireDest {
  const tunnel = d.forwarding === 'tunnel' ? (d.tunnel ?? { type: 'ipip', port: 0, csum: 'nocsum' }) : undefined;
  return {
    ...destKeyToWire(d),
    fwdMethod: FORWARDING[d.forwarding],
    weight: d.weight,
    ...(tunnel ? { tunType: TUN_TYPES[tunnel.type], tunPort: tunnel.port, tunFlags: TUN_CSUM[tunnel.csum] } : {}),
    uThresh: d.upperThreshold,
    lThresh: d.lowerThreshold,
  };
}

/** What a request carries, in the order of the diagram above. */
const DEST_FIELDS: FieldTable<WireDest> = [
  ['addrFamily', DEST_ATTR.ADDR_FAMILY, U16],
  ['addr', DEST_ATTR.ADDR, BYTES],
  ['port', DEST_ATTR.PORT, BE16],
  ['fwdMethod', DEST_ATTR.FWD_METHOD, U32],
  ['weight', DEST_ATTR.WEIGHT, S32],
  ['tunType', DEST_ATTR.TUN_TYPE, U8],
  ['tunPort', DEST_ATTR.TUN_PORT, BE16],
  ['tunFlags', DEST_ATTR.TUN_FLAGS, U16],
  ['uThresh', DEST_ATTR.U_THRESH, U32],
  ['lThresh', DEST_ATTR.L_THRESH, U32],
];

/** What only a reply carries (besides the two STATS nests). */
const DEST_REPLY_FIELDS: FieldTable<WireDest> = [
  ['activeConns', DEST_ATTR.ACTIVE_CONNS, U32],
  ['inactConns', DEST_ATTR.INACT_CONNS, U32],
  ['persistConns', DEST_ATTR.PERSIST_CONNS, U32],
];

export const encodeWireDest = (w: WireDest): Attr[] => encodeFields(DEST_FIELDS, w);

export function decodeWireDest(m: AttrMap, where: string): WireDest {
  const stats = getNested(m, DEST_ATTR.STATS, `${where} stats`);
  const stats64 = getNested(m, DEST_ATTR.STATS64, `${where} stats64`);
  return {
    ...decodeFields(DEST_FIELDS, m, where),
    ...decodeFields(DEST_REPLY_FIELDS, m, where),
    addr: required(m.get(DEST_ATTR.ADDR), 'IPVS_DEST_ATTR_ADDR', where),
    port: required(getBe16(m, DEST_ATTR.PORT, where), 'IPVS_DEST_ATTR_PORT', where),
    stats: stats && decodeStats(stats, false, `${where} stats`),
    stats64: stats64 && decodeStats(stats64, true, `${where} stats64`),
  };
}

/** `serviceFamily` stands in when the reply has no ADDR_FAMILY (kernels before 3.18). */
export function wireToDest(w: WireDest, serviceFamily: IpvsFamily, where: string): IpvsDestEntry {
  const family = w.addrFamily ? afToFamily(w.addrFamily, where) : serviceFamily;
  const forwarding = reverse(
    FORWARDING,
    required(w.fwdMethod, 'IPVS_DEST_ATTR_FWD_METHOD', where) & CONN_F_FWD_MASK,
    'forwarding method',
    where,
  );
  const stats = w.stats64 ?? w.stats;
  return {
    family,
    address: formatAddress(family, addressAttr(w.addr, family, 'IPVS_DEST_ATTR_ADDR', where)),
    port: w.port,
    forwarding,
    weight: required(w.weight, 'IPVS_DEST_ATTR_WEIGHT', where),
    upperThreshold: required(w.uThresh, 'IPVS_DEST_ATTR_U_THRESH', where),
    lowerThreshold: required(w.lThresh, 'IPVS_DEST_ATTR_L_THRESH', where),
    ...(forwarding === 'tunnel'
      ? {
          tunnel: {
            type: reverse(TUN_TYPES, w.tunType ?? 0, 'tunnel type', where),
            port: w.tunPort ?? 0,
            csum: reverse(TUN_CSUM, w.tunFlags ?? 0, 'tunnel flags', where),
          },
        }
      : {}),
    activeConns: w.activeConns ?? 0,
    inactiveConns: w.inactConns ?? 0,
    persistentConns: w.persistConns ?? 0,
    ...(stats ? { stats } : {}),
  };
}
