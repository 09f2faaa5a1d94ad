// Every IPVS generic-netlink request we send and every reply we read, as (cmd, attributes) pairs. The netlink
// header around them (type = the resolved family id, flags, seq, pid) belongs to the transport.
//
//   request                 cmd  kind  top-level attributes              reply cmd / content
//   ---------------------   ---  ----  --------------------------------  --------------------------------
//   NEW/SET_SERVICE         1/2  doit  SERVICE (full)                    ACK
//   DEL_SERVICE             3    doit  SERVICE (identity)                ACK
//   GET_SERVICE             4    doit  SERVICE (identity)                NEW_SERVICE(1) SERVICE, then ACK
//   GET_SERVICE             4    dump  —                                 NEW_SERVICE(1) × n, DONE
//   NEW/SET_DEST            5/6  doit  SERVICE (identity) + DEST (full)  ACK
//   DEL_DEST                7    doit  SERVICE (identity) + DEST (id)    ACK
//   GET_DEST                8    dump  SERVICE (identity)                NEW_DEST(5) × n, DONE
//   NEW_DAEMON / DEL_DAEMON 9/10 doit  DAEMON                            ACK
//   GET_DAEMON              11   dump  —                                 NEW_DAEMON(9) × n, DONE
//   SET_CONFIG              12   doit  TIMEOUT_TCP, _TCP_FIN, _UDP u32   ACK
//   GET_CONFIG              13   doit  —                                 SET_CONFIG(12) timeouts, ACK
//   GET_INFO                15   doit  —                                 SET_INFO(14) VERSION, CONN_TAB_SIZE
//   ZERO                    16   doit  [SERVICE (identity)]              ACK
//   FLUSH                   17   doit  —                                 ACK
//   CTRL GETFAMILY (id 0x10) 3   doit  FAMILY_NAME "IPVS"                NEWFAMILY(1) FAMILY_ID u16, …

import type {
  DestKey,
  IpvsDest,
  IpvsDestEntry,
  IpvsFamily,
  IpvsInfo,
  IpvsService,
  IpvsServiceEntry,
  IpvsTimeouts,
  ServiceKey,
  SyncDaemon,
} from '../types';
import { CodecError, getNested, getU16, getU32, nest, required, str, u32, type Attr } from './attrs';
import {
  CMD,
  CMD_ATTR,
  CTRL_ATTR_FAMILY_ID,
  CTRL_ATTR_FAMILY_NAME,
  CTRL_ATTR_MAXATTR,
  CTRL_ATTR_VERSION,
  CTRL_CMD_GETFAMILY,
  INFO_ATTR,
} from './constants';
import { daemonToWire, decodeWireDaemon, encodeWireDaemon, stateToNumber, wireToDaemon } from './daemon';
import { decodeWireDest, destKeyToWire, destToWire, encodeWireDest, wireToDest } from './dest';
import { encodeGenl, parseGenl } from './netlink';
import { decodeWireService, encodeWireService, serviceKeyToWire, serviceToWire, wireToService } from './service';

export interface GenlRequest {
  readonly cmd: number;
  /** Sent with NLM_F_DUMP and answered by a multipart reply ending in NLMSG_DONE. */
  readonly dump: boolean;
  readonly attrs: readonly Attr[];
}

const svc = (k: ServiceKey): Attr => nest(CMD_ATTR.SERVICE, encodeWireService(serviceKeyToWire(k)));
const fullSvc = (s: IpvsService): Attr => nest(CMD_ATTR.SERVICE, encodeWireService(serviceToWire(s)));
const doit = (cmd: number, attrs: readonly Attr[] = []): GenlRequest => ({ cmd, dump: false, attrs });

export const requests = {
  getFamily: (name: string): GenlRequest => doit(CTRL_CMD_GETFAMILY, [str(CTRL_ATTR_FAMILY_NAME, name)]),
  newService: (s: IpvsService): GenlRequest => doit(CMD.NEW_SERVICE, [fullSvc(s)]),
  setService: (s: IpvsService): GenlRequest => doit(CMD.SET_SERVICE, [fullSvc(s)]),
  delService: (k: ServiceKey): GenlRequest => doit(CMD.DEL_SERVICE, [svc(k)]),
  getService: (k: ServiceKey): GenlRequest => doit(CMD.GET_SERVICE, [svc(k)]),
  listServices: (): GenlRequest => ({ cmd: CMD.GET_SERVICE, dump: true, attrs: [] }),
  newDest: (k: ServiceKey, d: IpvsDest): GenlRequest =>
    doit(CMD.NEW_DEST, [svc(k), nest(CMD_ATTR.DEST, encodeWireDest(destToWire(d)))]),
  setDest: (k: ServiceKey, d: IpvsDest): GenlRequest =>
    doit(CMD.SET_DEST, [svc(k), nest(CMD_ATTR.DEST, encodeWireDest(destToWire(d)))]),
  delDest: (k: ServiceKey, d: DestKey): GenlRequest =>
    doit(CMD.DEL_DEST, [svc(k), nest(CMD_ATTR.DEST, encodeWireDest(destKeyToWire(d)))]),
  listDests: (k: ServiceKey): GenlRequest => ({ cmd: CMD.GET_DEST, dump: true, attrs: [svc(k)] }),
  newDaemon: (d: SyncDaemon): GenlRequest =>
    doit(CMD.NEW_DAEMON, [nest(CMD_ATTR.DAEMON, encodeWireDaemon(daemonToWire(d)))]),
  delDaemon: (state: SyncDaemon['state']): GenlRequest =>
    doit(CMD.DEL_DAEMON, [nest(CMD_ATTR.DAEMON, encodeWireDaemon({ state: stateToNumber(state) }))]),
  listDaemons: (): GenlRequest => ({ cmd: CMD.GET_DAEMON, dump: true, attrs: [] }),
  setConfig: (t: IpvsTimeouts): GenlRequest =>
    doit(CMD.SET_CONFIG, [
      u32(CMD_ATTR.TIMEOUT_TCP, t.tcp),
      u32(CMD_ATTR.TIMEOUT_TCP_FIN, t.tcpFin),
      u32(CMD_ATTR.TIMEOUT_UDP, t.udp),
    ]),
  getConfig: (): GenlRequest => doit(CMD.GET_CONFIG),
  getInfo: (): GenlRequest => doit(CMD.GET_INFO),
  zero: (k?: ServiceKey): GenlRequest => doit(CMD.ZERO, k ? [svc(k)] : []),
  flush: (): GenlRequest => doit(CMD.FLUSH),
};

/** The generic-netlink payload (genlmsghdr + attributes) of a request. */
export function encodeRequestPayload(r: GenlRequest, version: number): Buffer {
  return encodeGenl(r.cmd, version, r.attrs);
}

function expectCmd(payload: Buffer, cmd: number, where: string) {
  const g = parseGenl(payload, where);
  if (g.cmd !== cmd) throw new CodecError(`${where}: reply command ${g.cmd}, expected ${cmd}`);
  return g;
}

export function decodeServiceReply(payload: Buffer): IpvsServiceEntry {
  const where = 'IPVS service reply';
  const g = expectCmd(payload, CMD.NEW_SERVICE, where);
  const m = required(getNested(g.attrs, CMD_ATTR.SERVICE, where), 'IPVS_CMD_ATTR_SERVICE', where);
  return wireToService(decodeWireService(m, where), where);
}

export function decodeDestReply(payload: Buffer, serviceFamily: IpvsFamily): IpvsDestEntry {
  const where = 'IPVS destination reply';
  const g = expectCmd(payload, CMD.NEW_DEST, where);
  const m = required(getNested(g.attrs, CMD_ATTR.DEST, where), 'IPVS_CMD_ATTR_DEST', where);
  return wireToDest(decodeWireDest(m, where), serviceFamily, where);
}

export function decodeDaemonReply(payload: Buffer): SyncDaemon {
  const where = 'IPVS sync daemon reply';
  const g = expectCmd(payload, CMD.NEW_DAEMON, where);
  const m = required(getNested(g.attrs, CMD_ATTR.DAEMON, where), 'IPVS_CMD_ATTR_DAEMON', where);
  return wireToDaemon(decodeWireDaemon(m, where), where);
}

export function decodeConfigReply(payload: Buffer): IpvsTimeouts {
  const where = 'IPVS config reply';
  const g = expectCmd(payload, CMD.SET_CONFIG, where);
  return {
    tcp: getU32(g.attrs, CMD_ATTR.TIMEOUT_TCP, where) ?? 0,
    tcpFin: getU32(g.attrs, CMD_ATTR.TIMEOUT_TCP_FIN, where) ?? 0,
    udp: getU32(g.attrs, CMD_ATTR.TIMEOUT_UDP, where) ?? 0,
  };
}

export function decodeInfoReply(payload: Buffer): IpvsInfo {
  const where = 'IPVS info reply';
  const g = expectCmd(payload, CMD.SET_INFO, where);
  return {
    version: required(getU32(g.attrs, INFO_ATTR.VERSION, where), 'IPVS_INFO_ATTR_VERSION', where),
    connTableSize: required(getU32(g.attrs, INFO_ATTR.CONN_TAB_SIZE, where), 'IPVS_INFO_ATTR_CONN_TAB_SIZE', where),
  };
}

export interface FamilyInfo {
  readonly id: number;
  readonly version: number;
  readonly maxAttr: number;
}

export function decodeFamilyReply(payload: Buffer): FamilyInfo {
  const where = 'CTRL_CMD_GETFAMILY reply';
  const g = parseGenl(payload, where);
  return {
    id: required(getU16(g.attrs, CTRL_ATTR_FAMILY_ID, where), 'CTRL_ATTR_FAMILY_ID', where),
    version: getU32(g.attrs, CTRL_ATTR_VERSION, where) ?? 0,
    maxAttr: getU32(g.attrs, CTRL_ATTR_MAXATTR, where) ?? 0,
  };
}
