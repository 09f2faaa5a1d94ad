// An in-process netlink peer for the request layer: it receives our datagrams, splits them into messages and
// lets the test decide each answer. It records what it saw (datagrams, messages per datagram, most requests
// owed at once) so tests can assert batching and the window bound.

import { NLMSG_DONE, NLMSG_ERROR, NLM_F_MULTI } from '../../../src/ipvs/codec/constants';
import { encodeNlMessage, parseNlMessages, type NlMessage } from '../../../src/ipvs/codec/netlink';
import type { DatagramHandlers, DatagramSocket, OpenSocket, Timers } from '../../../src/ipvs/transport/socket';

export const ack = (req: NlMessage, errno = 0): Buffer => {
  const payload = Buffer.alloc(4 + 16);
  payload.writeInt32LE(-errno, 0);
  encodeNlMessage({ ...req, payload: Buffer.alloc(0) }).copy(payload, 4, 0, 16);
  return encodeNlMessage({ type: NLMSG_ERROR, flags: 0, seq: req.seq, pid: 1, payload });
};

export const data = (req: NlMessage, body: string, multi = false): Buffer =>
  encodeNlMessage({ type: req.type, flags: multi ? NLM_F_MULTI : 0, seq: req.seq, pid: 1, payload: Buffer.from(body) });

export const done = (req: NlMessage, errno = 0): Buffer => {
  const payload = Buffer.alloc(4);
  payload.writeInt32LE(-errno, 0);
  return encodeNlMessage({ type: NLMSG_DONE, flags: NLM_F_MULTI, seq: req.seq, pid: 1, payload });
};

export interface FakePeer {
  readonly open: OpenSocket;
  /** Messages received and not yet answered (the test answers them with `reply`). */
  readonly pending: NlMessage[];
  readonly datagrams: number[];
  opens: number;
  closes: number;
  maxOwed: number;
  /** Delivers a datagram to the client as if from `port` (default 0, the kernel). */
  reply(datagram: Buffer, port?: number): void;
  /** Fails the socket as the addon would on POLLERR. */
  fail(message: string): void;
  /** Make the next sends reject with this errno. */
  failSends(errno: number | undefined): void;
}

/**
 * `answer` is called for every request message; return datagrams to send back (delivered asynchronously, like a
 * kernel), or undefined to leave the request in `pending` for the test.
 */
export function fakePeer(answer?: (m: NlMessage) => Buffer[] | undefined): FakePeer {
  let handlers: DatagramHandlers | undefined;
  let sendErrno: number | undefined;
  let owed = 0;
  const peer: FakePeer = {
    pending: [],
    datagrams: [],
    opens: 0,
    closes: 0,
    maxOwed: 0,
    open: (h): DatagramSocket => {
      handlers = h;
      peer.opens++;
      owed = 0;
      let closed = false;
      return {
        send: async (d) => {
          if (closed) throw new Error('send on a closed fake socket');
          if (sendErrno !== undefined)
            throw Object.assign(new Error(`send failed errno ${sendErrno}`), { errno: sendErrno });
          const msgs = parseNlMessages(d);
          peer.datagrams.push(msgs.length);
          owed += msgs.length;
          peer.maxOwed = Math.max(peer.maxOwed, owed);
          for (const m of msgs) {
            const out = answer?.(m);
            if (out === undefined) peer.pending.push(m);
            else for (const r of out) setImmediate(() => peer.reply(r));
          }
        },
        close: () => {
          closed = true;
          peer.closes++;
          if (handlers === h) handlers = undefined;
        },
      };
    },
    reply: (d, port = 0) => {
      try {
        for (const m of parseNlMessages(d)) if (m.type === NLMSG_ERROR || m.type === NLMSG_DONE) owed--;
      } catch {
        // a deliberately malformed datagram: nothing to count
      }
      handlers?.message(d, port);
    },
    fail: (message) => handlers?.error(new Error(message)),
    failSends: (errno) => {
      sendErrno = errno;
    },
  };
  return peer;
}

/** Timers that fire only when the test advances them. */
export class ManualTimers implements Timers {
  private clock = 0;
  private nextId = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.due.set(id, { at: this.clock + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  now(): number {
    return this.clock;
  }

  get armed(): number {
    return this.due.size;
  }

  advance(ms: number): void {
    this.clock += ms;
    for (const [id, t] of [...this.due].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.clock && this.due.has(id)) {
        this.due.delete(id);
        t.fn();
      }
    }
  }
}
