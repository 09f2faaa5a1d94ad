// A wire struct's plain attributes as one table (field, attribute type, kind), read both ways: encodeFields
// writes the fields that are set, in the table's order (the order of the byte diagrams at the top of daemon.ts
// and dest.ts, which the golden bytes check); decodeFields reads every field of the table, absent ones as
// undefined. Attributes with a rule of their own (a required one, a nested one, a family-dependent one) stay
// in the codec of their struct.

import { be16, bytes, getBe16, getS32, getStr, getU16, getU32, getU8, s32, str, u16, u32, u8 } from './attrs';
import type { Attr, AttrMap } from './attrs';

/** How one attribute's value is written and read. */
interface AttrKind<T> {
  encode(type: number, v: T): Attr;
  decode(m: AttrMap, type: number, where: string): T | undefined;
}

export const U8: AttrKind<number> = { encode: u8, decode: getU8 };
export const U16: AttrKind<number> = { encode: u16, decode: getU16 };
export const BE16: AttrKind<number> = { encode: be16, decode: getBe16 };
export const U32: AttrKind<number> = { encode: u32, decode: getU32 };
/** A C int: the kernel reads weight as int, so a negative number travels as two's complement. */
export const S32: AttrKind<number> = { encode: s32, decode: getS32 };
export const STR: AttrKind<string> = { encode: str, decode: (m, t) => getStr(m, t) };
export const BYTES: AttrKind<Buffer> = { encode: bytes, decode: (m, t) => m.get(t) };

/** One row per field: its name in the wire struct, its attribute type, its kind. */
export type FieldTable<W> = ReadonlyArray<
  { [K in keyof W]-?: readonly [K, number, AttrKind<NonNullable<W[K]>>] }[keyof W]
>;

export function encodeFields<W>(table: FieldTable<W>, w: W): Attr[] {
  const out: Attr[] = [];
  for (const [field, type, kind] of table) {
    const v = w[field];
    if (v !== undefined) out.push(kind.encode(type, v as NonNullable<typeof v>));
  }
  return out;
}

export function decodeFields<W>(table: FieldTable<W>, m: AttrMap, where: string): { [K in keyof W]?: W[K] } {
  const out: { [K in keyof W]?: W[K] } = {};
  for (const [field, type, kind] of table) out[field] = kind.decode(m, type, where) as W[typeof field];
  return out;
}
