// The netlink message header (struct nlmsghdr, 16 bytes, host order) and the generic-netlink header
// (struct genlmsghdr, 4 bytes). Several messages may share one datagram, each padded to 4 bytes.
//
//   0               4       6       8               12              16
//   +---------------+-------+-------+---------------+---------------+
//   | len u32       |type u16|flags u16| seq u32     | pid u32       |   nlmsghdr
//   +-------+-------+-------+-------+---------------+---------------+
//   | cmd u8|ver u8 | reserved u16  |   attributes (nlattr TLVs) ...     genlmsghdr + payload
//   +-------+-------+---------------+
//
// NLMSG_ERROR payload: s32 -errno, then the header of the request it answers (and, without CAP_ACK, its body).
// NLMSG_DONE payload: s32 status (0, or -errno when a dump failed part-way).

import { CodecError, encodeAttrs, parseAttrs, type Attr, type AttrMap } from './attrs';
import { GENL_HDRLEN, NLMSG_HDRLEN } from './constants';

export interface NlMessage {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly pid: number;
  readonly payload: Buffer;
}

const align4 = (n: number): number => (n + 3) & ~3;

export function encodeNlMessage(m: NlMessage): Buffer {
  const len = NLMSG_HDRLEN + m.payload.length;
  const out = Buffer.alloc(align4(len));
  out.writeUInt32LE(len, 0);
  out.writeUInt16LE(m.type, 4);
  out.writeUInt16LE(m.flags, 6);
  out.writeUInt32LE(m.seq >>> 0, 8);
  out.writeUInt32LE(m.pid >>> 0, 12);
  m.payload.copy(out, NLMSG_HDRLEN);
  return out;
}

/** Splits a datagram into messages; throws CodecError on a truncated or inconsistent header. */
export function parseNlMessages(datagram: Buffer): NlMessage[] {
  const out: NlMessage[] = [];
  let o = 0;
  while (o + NLMSG_HDRLEN <= datagram.length) {
    const len = datagram.readUInt32LE(o);
    if (len < NLMSG_HDRLEN || o + len > datagram.length) {
      throw new CodecError(`netlink message at offset ${o} claims ${len} bytes, datagram has ${datagram.length - o}`);
    }
    out.push({
      type: datagram.readUInt16LE(o + 4),
      flags: datagram.readUInt16LE(o + 6),
      seq: datagram.readUInt32LE(o + 8),
      pid: datagram.readUInt32LE(o + 12),
      payload: datagram.subarray(o + NLMSG_HDRLEN, o + len),
    });
    o += align4(len);
  }
  if (o < datagram.length && datagram.length - o >= 4) {
    throw new CodecError(`netlink datagram has ${datagram.length - o} trailing bytes`);
  }
  return out;
}

export interface GenlMessage {
  readonly cmd: number;
  readonly version: number;
  readonly attrs: AttrMap;
}

export function encodeGenl(cmd: number, version: number, attrs: readonly Attr[]): Buffer {
  const head = Buffer.alloc(GENL_HDRLEN);
  head.writeUInt8(cmd, 0);
  head.writeUInt8(version, 1);
  return Buffer.concat([head, encodeAttrs(attrs)]);
}

export function parseGenl(payload: Buffer, where: string): GenlMessage {
  if (payload.length < GENL_HDRLEN)
    throw new CodecError(`${where}: generic netlink payload is ${payload.length} bytes`);
  return {
    cmd: payload.readUInt8(0),
    version: payload.readUInt8(1),
    attrs: parseAttrs(payload.subarray(GENL_HDRLEN), where),
  };
}

/** The errno of an NLMSG_ERROR payload (positive; 0 for an ACK). */
export function errorPayloadErrno(payload: Buffer): number {
  if (payload.length < 4) throw new CodecError(`NLMSG_ERROR payload is ${payload.length} bytes`);
  return -payload.readInt32LE(0);
}

/** The status of an NLMSG_DONE payload as a positive errno (0 when the dump ended cleanly or carries none). */
export function donePayloadErrno(payload: Buffer): number {
  return payload.length >= 4 ? -payload.readInt32LE(0) : 0;
}
