// Netlink attributes (struct nlattr): {len u16, type u16} then the value, padded to 4 bytes. `len` counts the
// 4-byte header and the unpadded value. Type bit 15 is NLA_F_NESTED and bit 14 NLA_F_NET_BYTEORDER; IPVS
// neither sets nor needs them (its parser is the "deprecated", non-strict one), so we send plain types and
// mask both bits off what we read. All integers are host order (little-endian here) unless a name says `be`.

export class CodecError extends Error {
  readonly code = 'IPVS_BAD_MESSAGE';
  constructor(message: string) {
    super(message);
    this.name = 'CodecError';
  }
}

export interface Attr {
  readonly type: number;
  /** Either raw value bytes or nested attributes. */
  readonly value: Buffer | readonly Attr[];
}

const ATTR_TYPE_MASK = 0x3fff;
const align4 = (n: number): number => (n + 3) & ~3;

function num(size: number, write: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(size);
  write(b);
  return b;
}

export const u8 = (type: number, v: number): Attr => ({ type, value: num(1, (b) => b.writeUInt8(v)) });
export const u16 = (type: number, v: number): Attr => ({ type, value: num(2, (b) => b.writeUInt16LE(v)) });
export const be16 = (type: number, v: number): Attr => ({ type, value: num(2, (b) => b.writeUInt16BE(v)) });
export const u32 = (type: number, v: number): Attr => ({ type, value: num(4, (b) => b.writeUInt32LE(v >>> 0)) });
/** A u32 attribute carrying a C `int` (the kernel reads weight as int, so -1 travels as 0xffffffff). */
export const s32 = (type: number, v: number): Attr => ({ type, value: num(4, (b) => b.writeInt32LE(v)) });
export const be32 = (type: number, v: number): Attr => ({ type, value: num(4, (b) => b.writeUInt32BE(v >>> 0)) });
export const bytes = (type: number, v: Uint8Array): Attr => ({ type, value: Buffer.from(v) });
/** NUL-terminated string (NLA_NUL_STRING / nla_put_string). */
export const str = (type: number, v: string): Attr => ({
  type,
  value: Buffer.concat([Buffer.from(v, 'utf8'), Buffer.alloc(1)]),
});
export const nest = (type: number, attrs: readonly Attr[]): Attr => ({ type, value: attrs });

function attrLength(a: Attr): number {
  const v = a.value;
  return 4 + (Buffer.isBuffer(v) ? v.length : encodedLength(v as readonly Attr[]));
}

function encodedLength(attrs: readonly Attr[]): number {
  let n = 0;
  for (const a of attrs) n += align4(attrLength(a));
  return n;
}

function writeAttrs(attrs: readonly Attr[], out: Buffer, offset: number): number {
  let o = offset;
  for (const a of attrs) {
    const len = attrLength(a);
    out.writeUInt16LE(len, o);
    out.writeUInt16LE(a.type & ATTR_TYPE_MASK, o + 2);
    const v = a.value;
    if (Buffer.isBuffer(v)) v.copy(out, o + 4);
    else writeAttrs(v as readonly Attr[], out, o + 4);
    o += align4(len);
  }
  return o;
}

export function encodeAttrs(attrs: readonly Attr[]): Buffer {
  const out = Buffer.alloc(encodedLength(attrs));
  writeAttrs(attrs, out, 0);
  return out;
}

/** Attributes by type; a repeated type keeps the last one, as the kernel's nla_parse does. */
export type AttrMap = ReadonlyMap<number, Buffer>;

export function parseAttrs(buf: Buffer, where: string): AttrMap {
  const out = new Map<number, Buffer>();
  let o = 0;
  while (o + 4 <= buf.length) {
    const len = buf.readUInt16LE(o);
    const type = buf.readUInt16LE(o + 2) & ATTR_TYPE_MASK;
    if (len < 4 || o + len > buf.length) {
      throw new CodecError(
        `${where}: attribute ${type} at offset ${o} has length ${len}, ${buf.length - o} bytes left`,
      );
    }
    out.set(type, buf.subarray(o + 4, o + len));
    o += align4(len);
  }
  return out;
}

function need(m: AttrMap, type: number, size: number, where: string): Buffer | undefined {
  const b = m.get(type);
  if (b === undefined) return undefined;
  if (b.length < size) throw new CodecError(`${where}: attribute ${type} is ${b.length} bytes, expected ${size}`);
  return b;
}

export const getU8 = (m: AttrMap, t: number, w: string): number | undefined => need(m, t, 1, w)?.readUInt8(0);
export const getU16 = (m: AttrMap, t: number, w: string): number | undefined => need(m, t, 2, w)?.readUInt16LE(0);
export const getBe16 = (m: AttrMap, t: number, w: string): number | undefined => need(m, t, 2, w)?.readUInt16BE(0);
export const getU32 = (m: AttrMap, t: number, w: string): number | undefined => need(m, t, 4, w)?.readUInt32LE(0);
export const getS32 = (m: AttrMap, t: number, w: string): number | undefined => need(m, t, 4, w)?.readInt32LE(0);
export const getBe32 = (m: AttrMap, t: number, w: string): number | undefined => need(m, t, 4, w)?.readUInt32BE(0);
export const getU64 = (m: AttrMap, t: number, w: string): bigint | undefined => need(m, t, 8, w)?.readBigUInt64LE(0);

export function getStr(m: AttrMap, t: number): string | undefined {
  const b = m.get(t);
  if (b === undefined) return undefined;
  const nul = b.indexOf(0);
  return b.subarray(0, nul < 0 ? b.length : nul).toString('utf8');
}

export function getNested(m: AttrMap, t: number, where: string): AttrMap | undefined {
  const b = m.get(t);
  return b === undefined ? undefined : parseAttrs(b, where);
}

export function required<T>(v: T | undefined, what: string, where: string): T {
  if (v === undefined) throw new CodecError(`${where}: missing ${what}`);
  return v;
}

/** An address attribute: at least 4 bytes for IPv4, 16 for IPv6 (the kernel always sends 16). */
export function addressAttr(buf: Buffer | undefined, family: 'inet' | 'inet6', what: string, where: string): Buffer {
  const b = required(buf, what, where);
  const need = family === 'inet' ? 4 : 16;
  if (b.length < need)
    throw new CodecError(
      `${where}: ${what} is ${b.length} bytes, an ${family === 'inet' ? 'IPv4' : 'IPv6'} address needs ${need}`,
    );
  return b;
}
