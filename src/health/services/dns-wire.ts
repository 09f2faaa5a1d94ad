// DNS messages for the dns check, through dns-packet (docs/decisions/015-dns-library.md): one recursive-desired
// question out, the answer section back, reduced to what the check compares (id, TC, RCODE, each answer's type
// and data). Names are checked against RFC 1035's limits before encoding (dns-packet writes a longer label
// without a word); AAAA data is re-formatted by the tree's address module so answers read as they always did.

import * as net from 'node:net';
import * as dnsPacket from 'dns-packet';
import { formatIpv6, parseIpv6 } from '../../model/address';

export type QueryType = 'A' | 'PTR' | 'AAAA';

export class DnsWireError extends Error {
  readonly code = 'DNS_WIRE';
}

export interface DnsAnswer {
  /** dns-packet's type name: `A`, `AAAA`, `PTR`, `CNAME`, … (`UNKNOWN_n` for types it does not know). */
  readonly type: string;
  /** A/AAAA: address text (IPv6 in RFC 5952 form); PTR: the name without the final dot; otherwise ''. */
  readonly data: string;
}

export interface DnsResponse {
  readonly id: number;
  readonly truncated: boolean;
  /** `NOERROR`, `NXDOMAIN`, `SERVFAIL`, … */
  readonly rcode: string;
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

/** RFC 1035 §2.3.4: labels of at most 63 bytes, names of at most 255 bytes on the wire. */
function checkName(name: string): void {
  const labels = name.replace(/\.$/, '').split('.');
  for (const label of labels) {
    if (Buffer.byteLength(label) > 63) throw new DnsWireError(`label "${label}" is longer than 63 bytes`);
  }
  const wire = labels.reduce((n, l) => n + 1 + Buffer.byteLength(l), 1);
  if (wire > 255) throw new DnsWireError(`name "${name}" is longer than 255 bytes`);
}

/** A recursive-desired query for one name. */
export function encodeQuery(id: number, name: string, type: QueryType): Buffer {
  checkName(name);
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
  });
}

function answerData(a: dnsPacket.Answer): string {
  if (a.type === 'A' && typeof a.data === 'string') return a.data;
  if (a.type === 'AAAA' && typeof a.data === 'string') {
    const bytes = parseIpv6(a.data);
    return bytes === undefined ? a.data : formatIPv6(bytes);
  }
  if (a.type === 'PTR' && typeof a.data === 'string') return a.data.replace(/\.$/, '');
  return '';
}

export function decodeResponse(msg: Buffer): DnsResponse {
  let p: dnsPacket.Packet;
  try {
    p = dnsPacket.decode(msg);
  } catch (err) {
    throw new DnsWireError((err as Error).message);
  }
  if (p.type !== 'response') throw new DnsWireError('message is a query, not a response');
  const flags = p.flags ?? 0;
  return {
    id: p.id ?? 0,
    truncated: (flags & dnsPacket.TRUNCATED_RESPONSE) !== 0,
    rcode: (p as { rcode?: string }).rcode ?? 'NOERROR',
    answers: (p.answers ?? []).map((a) => ({ type: a.type, data: answerData(a) })),
  };
}
