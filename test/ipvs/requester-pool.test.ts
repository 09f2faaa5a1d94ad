// Several netlink sockets behind one request interface (src/ipvs/transport/requester-pool.ts): a burst is
// spread over them (dumps too), one request at a time stays on the first socket, and a socket
// that fails fails only its own requests. Each member runs on its own in-process fake peer.

import { openIpvs } from '../../src/ipvs';
import type { NlMessage } from '../../src/ipvs/codec/netlink';
import { NetlinkRequester } from '../../src/ipvs/transport/requester';
import { IPVS_SOCKETS, RequesterPool } from '../../src/ipvs/transport/requester-pool';
import { doit, dump } from './helpers/requests';
import { ack, data, done, fakePeer, type FakePeer } from './helpers/fake-peer';
import { untilTrue } from '../support/until';

function poolOf(peers: FakePeer[]): RequesterPool {
  return new RequesterPool(peers.map((p) => new NetlinkRequester({ openSocket: p.open })));
}

describe('RequesterPool', () => {
  it('spreads a burst of 2,000 requests over its sockets, each within its window', async () => {
    const peers = Array.from({ length: 4 }, () => fakePeer((m) => [ack(m)]));
    const pool = poolOf(peers);
    const all = await Promise.all(Array.from({ length: 2000 }, (_, i) => pool.request(doit(i))));
    expect(all).toHaveLength(2000);
    const perPeer = peers.map((p) => p.datagrams.reduce((a, b) => a + b, 0));
    expect(perPeer.reduce((a, b) => a + b, 0)).toBe(2000);
    for (const n of perPeer) expect(n).toBe(500); // least loaded first: the burst is dealt round the sockets
    for (const p of peers) expect(p.maxOwed).toBeLessThanOrEqual(64);
    expect(pool.load).toBe(0);
    pool.close();
    expect(peers.map((p) => p.closes)).toEqual([1, 1, 1, 1]);
  });

  it('sends one request at a time on the first socket and opens no other', async () => {
    const peers = Array.from({ length: 4 }, () => fakePeer((m) => [ack(m)]));
    const pool = poolOf(peers);
    for (let i = 0; i < 20; i++) await pool.request(doit(i));
    expect(peers.map((p) => p.opens)).toEqual([1, 0, 0, 0]);
    expect(peers[0]?.datagrams.reduce((a, b) => a + b, 0)).toBe(20);
    pool.close();
  });

  it('spreads dumps too; a dump on a socket with a dump in flight waits for it', async () => {
    const peers = Array.from({ length: 2 }, () => fakePeer());
    const [p0, p1] = peers as [FakePeer, FakePeer];
    const pool = poolOf(peers);
    const dumps = [pool.request(dump()), pool.request(dump()), pool.request(dump())]; // sockets 0, 1, then 0
    await untilTrue('a dump on each socket', () => p0.pending.length === 1 && p1.pending.length === 1);
    const answerDump = (peer: FakePeer, m: NlMessage, body: string): void => {
      peer.reply(data(m, body, true));
      peer.reply(done(m));
    };
    answerDump(p1, p1.pending[0] as NlMessage, 'second');
    await expect(dumps[1]).resolves.toHaveLength(1);
    expect(p0.pending).toHaveLength(1); // the third still waits behind the first on socket 0
    answerDump(p0, p0.pending[0] as NlMessage, 'first');
    await untilTrue('the third dump sent on socket 0', () => p0.pending.length === 2);
    answerDump(p0, p0.pending[1] as NlMessage, 'third');
    const bodies = (await Promise.all(dumps)).map((parts) => parts.map((m) => m.payload.toString()));
    expect(bodies).toEqual([['first'], ['second'], ['third']]);
    pool.close();
  });

  it('fails only the requests of a socket that fails; the others are answered', async () => {
    const peers = [fakePeer(), fakePeer((m) => [ack(m)])];
    const pool = poolOf(peers);
    const onFirst = pool.request(doit(1)); // left unanswered by the first peer
    const onSecond = pool.request(doit(2)); // the first is loaded: the second socket
    await untilTrue('the first request sent', () => (peers[0]?.pending.length ?? 0) === 1);
    peers[0]?.fail('poll error ENOBUFS');
    await expect(onFirst).rejects.toMatchObject({ code: 'IPVS_SOCKET' });
    await expect(onSecond).resolves.toEqual([]);
    // the failed member opens a new socket for its next request
    const again = pool.request(doit(3));
    await untilTrue('a new socket with the next request', () => peers[0]?.opens === 2 && peers[0].pending.length === 2);
    peers[0]?.reply(ack(peers[0].pending[1] as NlMessage));
    await expect(again).resolves.toEqual([]);
    pool.close();
  });

  it('refuses an empty pool, and openIpvs refuses a socket count out of range', async () => {
    expect(() => new RequesterPool([])).toThrow(RangeError);
    for (const sockets of [0, IPVS_SOCKETS + 1, 1.5])
      await expect(openIpvs({ sockets, openSocket: fakePeer().open })).rejects.toMatchObject({
        code: 'IPVS_BAD_OPTION',
        message: expect.stringContaining(`got ${sockets}`),
      });
  });
});
