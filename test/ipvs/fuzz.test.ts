// Garbage in never crashes: every decoder either returns or throws its typed error, and the request layer
// survives arbitrary datagrams (deterministic pseudo-random bytes, plus mutations of real kernel replies).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeConfigReply,
  decodeDaemonReply,
  decodeDestReply,
  decodeFamilyReply,
  decodeInfoReply,
  decodeServiceReply,
} from '../../src/ipvs/codec/messages';
import { parseNlMessages } from '../../src/ipvs/codec/netlink';
import { NetlinkRequester } from '../../src/ipvs/transport/requester';
import { ack, fakePeer } from './helpers/fake-peer';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/netlink/ipvs-kernel.json'), 'utf8')) as {
  exchanges: Array<{ replies: string[] }>;
};
const realPayloads = fixture.exchanges
  .flatMap((x) => x.replies)
  .flatMap((r) => parseNlMessages(Buffer.from(r, 'hex')))
  .map((m) => m.payload);

const decoders: Array<(b: Buffer) => unknown> = [
  decodeServiceReply,
  (b) => decodeDestReply(b, 'inet'),
  decodeDaemonReply,
  decodeConfigReply,
  decodeInfoReply,
  decodeFamilyReply,
];

describe('decoders on garbage', () => {
  it('throw only IPVS_BAD_MESSAGE (or return) for 3,000 mutated real replies', () => {
    const rand = prng(42);
    const unexpected: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const base = Buffer.from(realPayloads[Math.floor(rand() * realPayloads.length)] as Buffer);
      const mutated = rand() < 0.3 ? base.subarray(0, Math.floor(rand() * base.length)) : base;
      for (let k = 0; k < 1 + Math.floor(rand() * 4) && mutated.length > 0; k++)
        mutated[Math.floor(rand() * mutated.length)] = Math.floor(rand() * 256);
      for (const decode of decoders) {
        try {
          decode(mutated);
        } catch (e) {
          if ((e as { code?: string }).code !== 'IPVS_BAD_MESSAGE')
            unexpected.push(`${(e as Error).name}: ${(e as Error).message}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
  });
});

describe('request layer on garbage datagrams', () => {
  it('keeps answering real requests while 2,000 random datagrams arrive', async () => {
    const rand = prng(7);
    const peer = fakePeer((m) => [ack(m)]);
    const r = new NetlinkRequester({ openSocket: peer.open });
    await r.request({ type: 28, payload: Buffer.from([16, 1, 0, 0]), dump: false, operation: 'zero' });
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.alloc(Math.floor(rand() * 64));
      for (let j = 0; j < b.length; j++) b[j] = Math.floor(rand() * 256);
      if (b.length >= 16 && rand() < 0.5) b.writeUInt32LE(b.length, 0);
      peer.reply(b);
    }
    const after = await Promise.all(
      Array.from({ length: 100 }, () =>
        r.request({ type: 28, payload: Buffer.from([16, 1, 0, 0]), dump: false, operation: 'zero' }),
      ),
    );
    expect(after).toHaveLength(100);
    r.close();
  });
});
