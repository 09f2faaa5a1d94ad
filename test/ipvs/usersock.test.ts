// The request layer on real AF_NETLINK sockets from the `netlink` addon: a peer socket on NETLINK_USERSOCK
// (unprivileged unicast between user sockets) plays the kernel. This is the path where an unbounded burst
// would overrun a receive buffer and abort the process; the window must keep 20,000 requests alive.

import { RawNetlinkSocket } from 'netlink';
import { openIpvs } from '../../src/ipvs';
import { GENL_ID_CTRL, NETLINK_USERSOCK } from '../../src/ipvs/codec/constants';
import { parseNlMessages, type NlMessage } from '../../src/ipvs/codec/netlink';
import { rawSocketOpener } from '../../src/ipvs/transport/raw-socket';
import { NetlinkRequester } from '../../src/ipvs/transport/requester';
import { ack } from './helpers/fake-peer';
import { familyReply } from './helpers/fake-kernel';

interface Peer {
  readonly port: number;
  readonly received: { datagrams: number; messages: number };
  close(): void;
}

function startPeer(answer: (m: NlMessage) => Buffer): Peer {
  const sock = new RawNetlinkSocket(NETLINK_USERSOCK);
  sock.setRecvBufferSize(1 << 20);
  const received = { datagrams: 0, messages: 0 };
  sock.on('message', (msg, rinfo) => {
    try {
      const msgs = parseNlMessages(msg);
      received.datagrams++;
      received.messages += msgs.length;
      sock.send(Buffer.concat(msgs.map(answer)), { port: rinfo.port });
    } catch {
      // a malformed request: no answer (the client times out), never an exception into the addon
    }
  });
  return { port: sock.address().port, received, close: () => sock.close() };
}

describe('request layer over real netlink sockets (NETLINK_USERSOCK peer)', () => {
  it('answers a burst of 20,000 requests with at most 64 in flight', async () => {
    const peer = startPeer((m) => ack(m));
    // The per-request bound is not what this test proves (the window is): generous, so a busy machine passes.
    const r = new NetlinkRequester({
      openSocket: rawSocketOpener({ protocol: NETLINK_USERSOCK, peerPort: peer.port }),
      peerPort: peer.port,
      timeoutMs: 60_000,
    });
    try {
      const payload = Buffer.from([5, 1, 0, 0]);
      const results = await Promise.all(
        Array.from({ length: 20000 }, () => r.request({ type: 28, payload, dump: false, operation: 'add-dest' })),
      );
      expect(results).toHaveLength(20000);
      expect(peer.received.messages).toBe(20000);
      expect(peer.received.datagrams).toBeLessThan(20000);
      expect(r.maxInFlight).toBeLessThanOrEqual(64);
    } finally {
      r.close();
      peer.close();
    }
  });

  it('carries kernel errnos end to end: IPVS_NO_CAP_NET_ADMIN from an EPERM answer', async () => {
    const peer = startPeer((m) => (m.type === GENL_ID_CTRL ? familyReply(m, 33) : ack(m, 1)));
    const ipvs = await openIpvs({ protocol: NETLINK_USERSOCK, peerPort: peer.port, timeoutMs: 60_000 });
    try {
      await expect(ipvs.zero()).rejects.toMatchObject({ code: 'IPVS_NO_CAP_NET_ADMIN', operation: 'zero' });
    } finally {
      await ipvs.close();
      peer.close();
    }
  });
});
