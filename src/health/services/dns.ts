// dns: ask the real server for `request` (leading `/` removed), over UDP or TCP as the virtual's protocol.
//  * request is an IP address → PTR query for its reverse name; receive is matched against the PTR names;
//  * otherwise receive containing `:` → AAAA query (only an IPv6 address can match such a pattern);
//  * otherwise A query. Receive is matched against each address (IPv6 in RFC 5952 form).
// Up when an answer of the asked type matches receive; with an empty receive, when there is any answer of the
// asked type (ldirectord: always down). The name is sent as given: no resolv.conf search list.

import { randomInt } from 'node:crypto';
import * as net from 'node:net';
import type { Check, CheckSpec } from '../types';
import { openDatagram } from './datagram';
import { decodeResponse, DnsWireError, encodeQuery, reverseName, type DnsResponse, type QueryType } from './dns-wire';
import { hostPort, probe, ProbeFailure, stripSlash, type ProbeContext } from './probe';
import { receivePattern } from './receive';
import { openStream } from './stream';

export interface DnsQuestion {
  readonly name: string;
  readonly type: QueryType;
}

/** What to ask for a spec (pure). */
export function dnsQuestion(request: string, receive: string): DnsQuestion {
  const name = stripSlash(request);
  if (net.isIP(name)) return { name: reverseName(name), type: 'PTR' };
  return { name, type: receive.includes(':') ? 'AAAA' : 'A' };
}

async function askUdp(ctx: ProbeContext, spec: CheckSpec, query: Buffer): Promise<Buffer> {
  const ch = await openDatagram(ctx, spec.address, spec.port);
  ch.send(query);
  for (;;) {
    const reply = await ch.receive('DNS reply');
    if (reply.length >= 2 && reply.readUInt16BE(0) === query.readUInt16BE(0)) return reply;
  }
}

async function askTcp(ctx: ProbeContext, spec: CheckSpec, query: Buffer): Promise<Buffer> {
  const s = await openStream(ctx, { host: spec.address, port: spec.port, maxBytes: 65_537, maxLine: 65_537 });
  const framed = Buffer.alloc(2 + query.length);
  framed.writeUInt16BE(query.length, 0);
  query.copy(framed, 2);
  s.socket.write(framed);
  let got = Buffer.alloc(0);
  for (;;) {
    got = Buffer.concat([got, await s.readSome('DNS reply')]);
    if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
      const reply = got.subarray(2, 2 + got.readUInt16BE(0));
      if (reply.length < 2 || reply.readUInt16BE(0) !== query.readUInt16BE(0)) {
        throw new ProbeFailure('reply ID does not match the query');
      }
      return reply;
    }
  }
}

function decide(question: DnsQuestion, receive: string, res: DnsResponse): string {
  if (res.truncated) throw new ProbeFailure('reply truncated (TC set); use protocol=tcp');
  if (res.rcode !== 'NOERROR') throw new ProbeFailure(`${question.name} ${question.type}: ${res.rcode}`);
  const found = res.answers.filter((a) => a.type === question.type).map((a) => a.data);
  if (found.length === 0)
    throw new ProbeFailure(`${question.name} ${question.type}: no ${question.type} record in the answer`);
  if (receive === '') return `${question.name} ${question.type} ${found.join(' ')}`;
  const pattern = receivePattern(receive);
  const hit = found.find((d) => pattern.test(d));
  if (hit === undefined)
    throw new ProbeFailure(
      `${question.name} ${question.type}: response mismatch: ${found.join(' ')} does not match /${receive}/`,
    );
  return `${question.name} ${question.type} ${hit}`;
}

export const dnsCheck: Check = (spec, signal) => {
  const tcp = spec.protocol === 'tcp';
  return probe(`DNS ${tcp ? 'tcp' : 'udp'} ${hostPort(spec.address, spec.port)}`, spec, signal, async (ctx) => {
    const question = dnsQuestion(spec.request, spec.receive);
    if (question.name === '') throw new ProbeFailure('request= names nothing to look up');
    let query: Buffer;
    try {
      query = encodeQuery(randomInt(0, 0x10000), question.name, question.type);
    } catch (err) {
      throw new ProbeFailure(`request= ${(err as Error).message}`);
    }
    const reply = tcp ? await askTcp(ctx, spec, query) : await askUdp(ctx, spec, query);
    try {
      return decide(question, spec.receive, decodeResponse(reply));
    } catch (err) {
      if (err instanceof DnsWireError) throw new ProbeFailure(`malformed reply: ${err.message}`);
      throw err;
    }
  });
};
