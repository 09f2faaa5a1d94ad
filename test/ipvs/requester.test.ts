// The netlink request layer against an in-process fake peer: demultiplexing, ACK/ERROR/DONE, multipart,
// the bounded window, batching, one dump at a time, timeouts (fake timers) and socket re-creation.

import type { NlMessage } from '../../src/ipvs/codec/netlink';
import { NetlinkRequester, type NetlinkRequest, type RequesterEvent } from '../../src/ipvs/transport/requester';
import { doit, dump } from './helpers/requests';
import { ack, data, done, fakePeer, ManualTimers } from './helpers/fake-peer';

async function codeOf(p: Promise<unknown>): Promise<{ code: string; errno: number; operation: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: string; errno: number; operation: string };
    return { code: err.code, errno: err.errno, operation: err.operation };
  }
  throw new Error('expected a rejection');
}

/** Resolves once the peer has `n` unanswered requests (events, not sleeps: polls the microtask queue). */
async function untilPending(peer: { pending: NlMessage[] }, n: number): Promise<void> {
  for (let i = 0; i < 1000 && peer.pending.length < n; i++) await new Promise((r) => setImmediate(r));
  expect(peer.pending.length).toBe(n);
}

describe('NetlinkRequester', () => {
  it('answers a burst of 20,000 requests, never more than 64 in flight, many per datagram', async () => {
    const peer = fakePeer((m) => [ack(m)]);
    const r = new NetlinkRequester({ openSocket: peer.open });
    const all = await Promise.all(Array.from({ length: 20000 }, (_, i) => r.request(doit(i))));
    expect(all).toHaveLength(20000);
    expect(all.every((parts) => parts.length === 0)).toBe(true);
    expect(r.maxInFlight).toBe(64);
    expect(peer.maxOwed).toBeLessThanOrEqual(64);
    expect(peer.datagrams.reduce((a, b) => a + b, 0)).toBe(20000);
    // Slots freed by replies handled in one event-loop turn are refilled together: ~64 messages a datagram.
    expect(peer.datagrams.length).toBeLessThan(1000);
    expect(Math.max(...peer.datagrams)).toBe(64);
    expect(peer.opens).toBe(1);
    r.close();
  });

  it('makes a lazy payload only when it sends it, and a payload that throws fails its own request only', async () => {
    const peer = fakePeer();
    const r = new NetlinkRequester({ openSocket: peer.open, window: 2 });
    const made: number[] = [];
    const lazy = (n: number): NetlinkRequest => ({
      ...doit(n),
      payload: () => {
        made.push(n);
        if (n === 3) throw new RangeError('cannot encode request 3');
        return Buffer.from([5, 1, 0, 0, n]);
      },
    });
    const all = Array.from({ length: 6 }, (_, n) => r.request(lazy(n)));
    expect(made).toEqual([]); // nothing made while the requests only wait
    await untilPending(peer, 2);
    expect(made).toEqual([0, 1]); // the window's two, and no more
    // answer whatever is in flight until everything has settled
    let done = false;
    const answering = (async () => {
      while (!done) {
        for (const m of peer.pending.splice(0)) peer.reply(ack(m));
        await new Promise((res) => setImmediate(res));
      }
    })();
    const settled = await Promise.allSettled(all);
    done = true;
    await answering;
    expect(settled.map((x) => x.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((settled[3] as PromiseRejectedResult).reason).toEqual(new RangeError('cannot encode request 3'));
    expect(made).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peer.datagrams.reduce((x, y) => x + y, 0)).toBe(5); // the one that threw was never sent
    expect(r.maxInFlight).toBe(2);
    r.close();
  });

  it('honours a smaller window', async () => {
    const peer = fakePeer((m) => [ack(m)]);
    const r = new NetlinkRequester({ openSocket: peer.open, window: 8 });
    await Promise.all(Array.from({ length: 500 }, (_, i) => r.request(doit(i))));
    expect(r.maxInFlight).toBe(8);
    expect(peer.maxOwed).toBe(8);
    r.close();
  });

  it('rejects a window outside 1..64 and a non-positive timeout with IPVS_BAD_OPTION', () => {
    const peer = fakePeer();
    for (const window of [0, 65, 1.5]) {
      expect(() => new NetlinkRequester({ openSocket: peer.open, window })).toThrow(
        expect.objectContaining({ code: 'IPVS_BAD_OPTION' }),
      );
    }
    expect(() => new NetlinkRequester({ openSocket: peer.open, timeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'IPVS_BAD_OPTION' }),
    );
  });

  it('maps NLMSG_ERROR to an IpvsError with errno, code and operation; answers by seq, in any order', async () => {
    const peer = fakePeer();
    const r = new NetlinkRequester({ openSocket: peer.open });
    const a = r.request(doit(1));
    const b = r.request(doit(2));
    const c = r.request(doit(3));
    await untilPending(peer, 3);
    const [ma, mb, mc] = peer.pending as [NlMessage, NlMessage, NlMessage];
    peer.reply(Buffer.concat([ack(mc, 34), ack(ma, 17)]));
    peer.reply(ack(mb, 1));
    expect(await codeOf(a)).toEqual({ code: 'EEXIST', errno: 17, operation: 'add-dest' });
    expect(await codeOf(b)).toEqual({ code: 'EPERM', errno: 1, operation: 'add-dest' });
    expect(await codeOf(c)).toEqual({ code: 'ERANGE', errno: 34, operation: 'add-dest' });
    r.close();
  });

  it('collects a doit reply and resolves on the ACK that follows it', async () => {
    const peer = fakePeer((m) => [data(m, 'reply'), ack(m)]);
    const r = new NetlinkRequester({ openSocket: peer.open });
    const parts = await r.request(doit());
    expect(parts.map((p) => p.payload.toString())).toEqual(['reply']);
    r.close();
  });

  it('collects a multipart dump across datagrams until NLMSG_DONE', async () => {
    const peer = fakePeer();
    const r = new NetlinkRequester({ openSocket: peer.open });
    const p = r.request(dump());
    await untilPending(peer, 1);
    const m = peer.pending[0] as NlMessage;
    expect(m.flags & 0x300).toBe(0x300);
    expect(m.flags & 0x4).toBe(0);
    peer.reply(Buffer.concat([data(m, 'a', true), data(m, 'b', true)]));
    peer.reply(data(m, 'c', true));
    peer.reply(done(m));
    expect((await p).map((x) => x.payload.toString())).toEqual(['a', 'b', 'c']);
    r.close();
  });

  it('rejects a dump whose NLMSG_DONE carries an error status', async () => {
    const peer = fakePeer((m) => [data(m, 'a', true), done(m, 16)]);
    const r = new NetlinkRequester({ openSocket: peer.open });
    expect(await codeOf(r.request(dump()))).toEqual({ code: 'EBUSY', errno: 16, operation: 'list-dests' });
    r.close();
  });

  it('sends one dump at a time and keeps request order behind a waiting dump', async () => {
    const peer = fakePeer();
    const r = new NetlinkRequester({ openSocket: peer.open });
    const d1 = r.request(dump());
    const d2 = r.request(dump());
    const x = r.request(doit(9));
    await untilPending(peer, 1);
    const first = peer.pending.shift() as NlMessage;
    peer.reply(done(first));
    await d1;
    await untilPending(peer, 2);
    const [second, third] = peer.pending.splice(0) as [NlMessage, NlMessage];
    expect([second.flags & 0x300, third.flags & 0x300]).toEqual([0x300, 0]);
    peer.reply(Buffer.concat([done(second), ack(third)]));
    await Promise.all([d2, x]);
    r.close();
  });

  it('times out a request, resets the socket, fails what was outstanding, and recovers on a new socket', async () => {
    const timers = new ManualTimers();
    const events: RequesterEvent[] = [];
    let answer = false;
    const peer = fakePeer((m) => (answer ? [ack(m)] : undefined));
    const r = new NetlinkRequester({
      openSocket: peer.open,
      window: 2,
      timeoutMs: 1000,
      timers,
      onEvent: (e) => events.push(e),
    });
    const a = r.request(doit(1));
    const b = r.request(doit(2));
    const queued = r.request(doit(3));
    await untilPending(peer, 2);
    expect(timers.armed).toBe(1);
    timers.advance(999);
    expect(timers.armed).toBe(1);
    timers.advance(1);
    expect(await codeOf(a)).toEqual({ code: 'IPVS_TIMEOUT', errno: 110, operation: 'add-dest' });
    expect(await codeOf(b)).toMatchObject({ code: 'IPVS_SOCKET' });
    expect(await codeOf(queued)).toMatchObject({ code: 'IPVS_SOCKET' });
    expect(peer.closes).toBe(1);
    expect(timers.armed).toBe(0);
    answer = true;
    await r.request(doit(4));
    expect(peer.opens).toBe(2);
    expect(r.generation).toBe(2);
    expect(events.map((e) => e.kind)).toEqual(['open', 'reset', 'open']);
    expect(events[1]).toMatchObject({ kind: 'reset', rejected: 2 });
    r.close();
  });

  it('arms one timeout timer for a window of requests, moves it to the next oldest, and disarms it when idle', async () => {
    const timers = new ManualTimers();
    const peer = fakePeer();
    const r = new NetlinkRequester({ openSocket: peer.open, window: 64, timeoutMs: 1000, timers });
    const first = Array.from({ length: 40 }, (_, i) => r.request(doit(i)));
    await untilPending(peer, 40);
    expect(timers.armed).toBe(1);
    timers.advance(600);
    for (const m of peer.pending.splice(0)) peer.reply(ack(m));
    await Promise.all(first);
    expect(timers.armed).toBe(0);
    // Sent at 600: its deadline is 1600, not the first window's 1000.
    const a = r.request(doit(1));
    await untilPending(peer, 1);
    timers.advance(100);
    const b = r.request(doit(2));
    await untilPending(peer, 2);
    expect(timers.armed).toBe(1);
    timers.advance(899);
    expect(timers.armed).toBe(1);
    peer.reply(ack(peer.pending.shift() as NlMessage));
    await a;
    timers.advance(1);
    // a's deadline passed with a answered: the timer moved on to b (due at 1700), which is still owed.
    expect(timers.armed).toBe(1);
    let failed = false;
    b.catch(() => {
      failed = true;
    });
    timers.advance(99);
    await new Promise((res) => setImmediate(res));
    expect(failed).toBe(false);
    timers.advance(1);
    expect(await codeOf(b)).toEqual({ code: 'IPVS_TIMEOUT', errno: 110, operation: 'add-dest' });
    r.close();
  });

  it('re-creates the socket after a socket error and ignores late datagrams of the old one', async () => {
    const peer = fakePeer();
    const handlerLog: Array<Parameters<typeof peer.open>[0]> = [];
    const r = new NetlinkRequester({
      openSocket: (h) => {
        handlerLog.push(h);
        return peer.open(h);
      },
    });
    const a = r.request(doit(1));
    await untilPending(peer, 1);
    const old = peer.pending.shift() as NlMessage;
    peer.fail('poll error ENOBUFS');
    expect(await codeOf(a)).toMatchObject({ code: 'IPVS_SOCKET', operation: 'add-dest' });
    const b = r.request(doit(2));
    await untilPending(peer, 1);
    const fresh = peer.pending.shift() as NlMessage;
    expect(peer.opens).toBe(2);
    // Same seq on both sockets: a late ACK from the old socket must not complete the new request.
    expect(old.seq).toBe(fresh.seq);
    let settled = false;
    void b.then(() => {
      settled = true;
    });
    handlerLog[0]?.message(ack(old, 17), 0);
    handlerLog[0]?.error(new Error('late error from the old socket'));
    await new Promise((res) => setImmediate(res));
    expect(settled).toBe(false);
    expect(peer.opens).toBe(2);
    peer.reply(ack(fresh));
    await expect(b).resolves.toEqual([]);
    r.close();
  });

  it('rejects with the send errno and resets when a send fails', async () => {
    const peer = fakePeer((m) => [ack(m)]);
    const r = new NetlinkRequester({ openSocket: peer.open });
    peer.failSends(111);
    expect(await codeOf(r.request(doit()))).toEqual({ code: 'IPVS_SOCKET', errno: 111, operation: 'add-dest' });
    peer.failSends(undefined);
    await expect(r.request(doit())).resolves.toEqual([]);
    expect(peer.opens).toBe(2);
    r.close();
  });

  it('ignores replies from another port, with unknown seq, or malformed, and reports them', async () => {
    const events: RequesterEvent[] = [];
    const peer = fakePeer();
    const r = new NetlinkRequester({ openSocket: peer.open, onEvent: (e) => events.push(e) });
    const p = r.request(doit());
    await untilPending(peer, 1);
    const m = peer.pending[0] as NlMessage;
    peer.reply(ack(m), 4242);
    peer.reply(ack({ ...m, seq: 999 }));
    peer.reply(Buffer.from([0xff, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    peer.reply(ack(m));
    await expect(p).resolves.toEqual([]);
    expect(events.map((e) => e.kind)).toEqual(['open', 'stray', 'stray', 'bad-datagram']);
    r.close();
  });

  it('a reply that does not parse fails only its own request with IPVS_BAD_REPLY', async () => {
    const peer = fakePeer();
    const r = new NetlinkRequester({ openSocket: peer.open });
    const p = r.request(doit());
    await untilPending(peer, 1);
    const m = peer.pending[0] as NlMessage;
    // An NLMSG_ERROR with a 2-byte payload cannot carry an errno.
    const bad = Buffer.alloc(20);
    bad.writeUInt32LE(18, 0);
    bad.writeUInt16LE(2, 4);
    bad.writeUInt32LE(m.seq, 8);
    peer.reply(bad);
    expect(await codeOf(p)).toMatchObject({ code: 'IPVS_BAD_REPLY' });
    r.close();
  });

  it('close() fails outstanding requests with IPVS_CLOSED, and later ones too', async () => {
    const peer = fakePeer();
    const r = new NetlinkRequester({ openSocket: peer.open });
    const p = r.request(doit());
    await untilPending(peer, 1);
    r.close();
    r.close();
    expect(await codeOf(p)).toMatchObject({ code: 'IPVS_CLOSED' });
    expect(await codeOf(r.request(doit()))).toMatchObject({ code: 'IPVS_CLOSED' });
    expect(peer.closes).toBe(1);
  });

  it('reports a socket that cannot be opened on every waiting request', async () => {
    const r = new NetlinkRequester({
      openSocket: () => {
        throw Object.assign(new Error('socket: Operation not permitted'), { errno: 1 });
      },
    });
    expect(await codeOf(r.request(doit()))).toEqual({ code: 'IPVS_SOCKET', errno: 1, operation: 'add-dest' });
  });
});
