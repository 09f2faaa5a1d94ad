// DNS messages (RFC 1035 §4), just enough for one question and its answer section.
//
//  header (12 bytes): ID(16) | QR OPCODE(4) AA TC RD | RA Z(3) RCODE(4) | QDCOUNT | ANCOUNT | NSCOUNT | ARCOUNT
//  question:          QNAME (labels) | QTYPE(16) | QCLASS(16)
//  answer RR:         NAME (labels or 0b11 pointer) | TYPE | CLASS | TTL(32) | RDLENGTH | RDATA

import * as net from 'node:net';
import { formatIpv6, parseIpv6 } from '../../model/address';

export const QTYPE = { A: 1, PTR: 12, AAAA: 28 } as const;
export type QueryType = keyof typeof QTYPE;
const CLASS_IN = 1;

export const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export class DnsWireError extends Error {
  readonly code = 'DNS_WIRE';
}

export interface DnsAnswer {
  readonly type: number;
  /** A/AAAA: address text; PTR: the name without the final dot; otherwise ''. */
  readonly data: string;
}

export interface DnsResponse {
  readonly id: number;
  readonly truncated: boolean;
  readonly rcode: number;
  readonly answers: readonly DnsAnswer[];
}

/** The PTR owner name of an address: 4.3.2.1.in-addr.arpa, or nibbles under ip6.arpa. */
export function reverseName(ip: string): string {
  if (net.isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const bytes = parseIpv6(ip) ?? Buffer.alloc(16);
  const nibbles = [...bytes.toString('hex')].reverse().join('.');
  return `${nibbles}.ip6.arpa`;
}

/** RFC 5952 text of 16 address bytes (the tree's one address module, src/model/address.ts). */
export const formatIPv6 = (bytes: Buffer): string => formatIpv6(bytes);

function encodeName(name: string): Buffer {
  const labels = name
    .replace(/\.$/, '')
    .split('.')
    .filter((l) => l !== '');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'latin1');
    if (bytes.length > 63) throw new DnsWireError(`label "${label}" is longer than 63 bytes`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  if (out.length > 255) throw new DnsWireError(`name "${name}" is longer than 255 bytes`);
  return out;
}

/** A recursive-desired query for one name. */
export function encodeQuery(id: number, name: string, type: QueryType): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // RD
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(QTYPE[type], 0);
  tail.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, encodeName(name), tail]);
}

/** Reads a (possibly compressed) name at `offset`; returns it and the offset after it in the record. */
function readName(msg: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  for (let hops = 0; ; hops++) {
    if (hops > 128) throw new DnsWireError('compression loop in name');
    const len = msg[pos];
    if (len === undefined) throw new DnsWireError('name runs past the end of the message');
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      const low = msg[pos + 1];
      if (low === undefined) throw new DnsWireError('truncated compression pointer');
      if (next < 0) next = pos + 2;
      pos = ((len & 0x3f) << 8) | low;
      continue;
    }
    if (pos + 1 + len > msg.length) throw new DnsWireError('label runs past the end of the message');
    labels.push(msg.subarray(pos + 1, pos + 1 + len).toString('latin1'));
    pos += 1 + len;
  }
  return { name: labels.join('.'), next };
}

export function decodeResponse(msg: Buffer): DnsResponse {
  if (msg.length < 12) throw new DnsWireError(`message of ${msg.length} bytes is shorter than a header`);
  const flags = msg.readUInt16BE(2);
  if ((flags & 0x8000) === 0) throw new DnsWireError('message is a query, not a response');
  const qd = msg.readUInt16BE(4);
  const an = msg.readUInt16BE(6);
  let pos = 12;
  for (let i = 0; i < qd; i++) pos = readName(msg, pos).next + 4;
  const answers: DnsAnswer[] = [];
  for (let i = 0; i < an; i++) {
    pos = readName(msg, pos).next;
    if (pos + 10 > msg.length) throw new DnsWireError('answer record runs past the end of the message');
    const type = msg.readUInt16BE(pos);
    const rdlen = msg.readUInt16BE(pos + 8);
    const rdata = pos + 10;
    if (rdata + rdlen > msg.length) throw new DnsWireError('answer data runs past the end of the message');
    let data = '';
    if (type === QTYPE.A && rdlen === 4) data = [...msg.subarray(rdata, rdata + 4)].join('.');
    else if (type === QTYPE.AAAA && rdlen === 16) data = formatIPv6(msg.subarray(rdata, rdata + 16));
    else if (type === QTYPE.PTR) data = readName(msg, rdata).name;
    answers.push({ type, data });
    pos = rdata + rdlen;
  }
  return { id: msg.readUInt16BE(0), truncated: (flags & 0x0200) !== 0, rcode: flags & 0x0f, answers };
}
