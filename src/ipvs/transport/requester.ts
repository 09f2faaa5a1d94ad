// The netlink request layer: sequence numbers, demultiplexing of replies, ACK/ERROR/DONE handling, multipart
// collection, a timeout on every request, a bounded window of requests in flight, batching of several
// messages per datagram, one dump at a time, and re-creation of the socket after a timeout or socket error.
//
// Rules, in the order they matter:
//   * Requests are sent in the order they were made (FIFO). A dump waits at the head of the queue while
//     another dump is in flight (the kernel answers EBUSY to a second dump on one socket), and so does
//     everything behind it.
//   * At most `window` requests are in flight (sent, not yet answered). The `netlink` addon aborts the whole
//     process when its receive buffer overruns; bounding what can be owed to us is what prevents that.
//   * Messages waiting when there is room go out together, several per datagram (each its own seq), up to
//     `maxDatagramBytes`; the kernel processes them in order and answers each one.
//   * doit requests carry NLM_F_ACK and complete on the ACK (after any reply messages); dumps carry
//     NLM_F_DUMP and complete on NLMSG_DONE, whose status is checked; NLMSG_ERROR ≠ 0 rejects with the errno.
//   * Each request must be answered within timeoutMs of being sent. One watchdog timer covers the whole window:
//     requests are answered in the order they were sent as far as deadlines go (the oldest in flight has the
//     earliest deadline), so the timer is armed for the oldest and moved on when it fires early. A timer per
//     request cost a clock read each (setTimeout reads libuv's clock), a system call in the guest kernel:
//     ~0.9 s of the 5,000 adds of a cold start there (docs/benchmarks.md, "Cold start").
//   * A timeout or a socket error closes the socket and rejects everything in flight and queued (the new
//     socket may need a new family id, which the caller resolves); the next request opens a new socket and
//     `generation` goes up, telling callers to resync.

import { NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST } from '../codec/constants';
import { encodeNlMessage, parseNlMessages, type NlMessage } from '../codec/netlink';
import { ERRNO, IpvsError, type IpvsOperation } from '../errors';
import { DatagramBatch } from './datagram-batch';
import { replyOutcome } from './reply';
import { requesterSettings, type RequesterOptions, type RequesterSettings } from './requester-options';
import type { Requester } from './requester-pool';
import type { DatagramSocket } from './socket';

export type { RequesterEvent, RequesterOptions } from './requester-options';

export interface NetlinkRequest {
  /** nlmsg_type: the generic-netlink family id (or GENL_ID_CTRL). */
  readonly type: number;
  /**
   * The generic-netlink payload, or a function that makes it when the request is sent: a burst of thousands
   * of requests then holds its encoded bytes only for the ones in flight (at 5,000 real servers the start-up
   * pass queues 5,000 at once). A function that throws fails its own request and no other.
   */
  readonly payload: Buffer | (() => Buffer);
  readonly dump: boolean;
  readonly operation: IpvsOperation;
}

interface Pending {
  readonly req: NetlinkRequest;
  readonly resolve: (parts: NlMessage[]) => void;
  readonly reject: (err: unknown) => void;
  readonly parts: NlMessage[];
  seq: number;
  /** timers.now() by which the answer must have come; set when sent. */
  deadline: number;
}

export class NetlinkRequester implements Requester {
  private readonly o: RequesterSettings;

  private socket: DatagramSocket | undefined;
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Map<number, Pending>();
  private dumpInFlight = false;
  private nextSeq = 1;
  private flushScheduled = false;
  private closed = false;
  /** Sockets opened so far. */
  private gen = 0;
  /** Changes on every open and every reset: callbacks of an older socket compare it and fall silent. */
  private epoch = 0;
  private highWater = 0;
  /** The one timeout timer, armed while anything is in flight (see the rules above). */
  private watchdog: unknown = undefined;

  constructor(options: RequesterOptions) {
    this.o = requesterSettings(options);
  }

  /** Incremented every time a new socket is opened: a change means the caller must re-resolve and resync. */
  get generation(): number {
    return this.gen;
  }

  /** Requests queued or in flight (requester-pool.ts sends the next one to the least loaded). */
  get load(): number {
    return this.queue.length + this.inFlight.size;
  }

  /** The most requests ever in flight at once (for tests and benchmarks). */
  get maxInFlight(): number {
    return this.highWater;
  }

  request(req: NetlinkRequest): Promise<NlMessage[]> {
    return new Promise<NlMessage[]>((resolve, reject) => {
      if (this.closed) {
        reject(new IpvsError(req.operation, 0, 'the IPVS netlink client is closed', { code: 'IPVS_CLOSED' }));
        return;
      }
      this.queue.push({ req, resolve, reject, parts: [], seq: 0, deadline: 0 });
      this.scheduleFlush();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.failAll(
      (p) =>
        new IpvsError(p.req.operation, 0, 'the IPVS netlink client was closed before the kernel answered', {
          code: 'IPVS_CLOSED',
        }),
    );
    this.socket?.close();
    this.socket = undefined;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate, not a microtask: every reply read in this poll phase is handled first, so the slots they
    // free are refilled together, many messages to a datagram, instead of one datagram per freed slot.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private ensureSocket(): DatagramSocket | undefined {
    if (this.socket) return this.socket;
    try {
      const epoch = ++this.epoch;
      this.socket = this.o.openSocket({
        message: (datagram, fromPort) => this.onDatagram(datagram, fromPort, epoch),
        error: (err) => {
          if (epoch === this.epoch) this.reset(`socket error: ${err.message}`, err);
        },
      });
      this.gen++;
      this.nextSeq = 1;
      this.o.onEvent({ kind: 'open', generation: this.gen });
      return this.socket;
    } catch (e) {
      const err = e as Error & { errno?: number };
      this.failAll(
        (p) =>
          new IpvsError(p.req.operation, Math.abs(err.errno ?? 0), `cannot open a netlink socket: ${err.message}`, {
            code: 'IPVS_SOCKET',
            cause: e,
          }),
      );
      return undefined;
    }
  }

  private flush(): void {
    if (this.closed || this.queue.length === 0) return;
    const socket = this.ensureSocket();
    if (!socket) return;
    const epoch = this.epoch;
    const batch = new DatagramBatch<Pending>(this.o.maxDatagramBytes, (datagram, sent) => {
      socket.send(datagram).catch((err: Error & { errno?: number }) => this.onSendFailed(err, sent, epoch));
    });
    let sentAt = -1;
    while (this.queue.length > 0 && this.inFlight.size < this.o.window) {
      const head = this.queue[0] as Pending;
      if (head.req.dump && this.dumpInFlight) break;
      this.queue.shift();
      let payload: Buffer;
      try {
        payload = typeof head.req.payload === 'function' ? head.req.payload() : head.req.payload;
      } catch (e) {
        head.reject(e);
        continue;
      }
      head.seq = this.takeSeq();
      const bytes = encodeNlMessage({
        type: head.req.type,
        flags: NLM_F_REQUEST | (head.req.dump ? NLM_F_DUMP : NLM_F_ACK),
        seq: head.seq,
        pid: 0,
        payload,
      });
      batch.add(bytes, head);
      if (head.req.dump) this.dumpInFlight = true;
      this.inFlight.set(head.seq, head);
      this.highWater = Math.max(this.highWater, this.inFlight.size);
      if (sentAt < 0) sentAt = this.o.timers.now();
      head.deadline = sentAt + this.o.timeoutMs;
    }
    batch.send();
    if (sentAt >= 0 && this.watchdog === undefined) this.armWatchdog(sentAt);
  }

  /** Arms the timeout timer for the oldest request in flight, `now` being timers.now(). */
  private armWatchdog(now: number): void {
    const oldest = this.inFlight.values().next().value as Pending | undefined;
    if (oldest) this.watchdog = this.o.timers.setTimeout(() => this.onWatchdog(), Math.max(0, oldest.deadline - now));
  }

  private onWatchdog(): void {
    this.watchdog = undefined;
    const oldest = this.inFlight.values().next().value as Pending | undefined;
    if (!oldest) return;
    const now = this.o.timers.now();
    if (oldest.deadline <= now) this.onTimeout(oldest);
    else this.armWatchdog(now);
  }

  private disarmWatchdog(): void {
    if (this.watchdog === undefined) return;
    this.o.timers.clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  private onSendFailed(err: Error & { errno?: number }, sent: readonly Pending[], epoch: number): void {
    if (epoch !== this.epoch || this.closed) return;
    const errno = Math.abs(err.errno ?? 0);
    for (const p of sent)
      if (this.inFlight.get(p.seq) === p)
        this.settle(
          p,
          new IpvsError(p.req.operation, errno, `netlink send failed: ${err.message}`, {
            code: 'IPVS_SOCKET',
            cause: err,
          }),
        );
    this.reset(`send failed: ${err.message}`, err);
  }

  private takeSeq(): number {
    for (;;) {
      const s = this.nextSeq;
      this.nextSeq = this.nextSeq >= 0xffffffff ? 1 : this.nextSeq + 1;
      if (!this.inFlight.has(s)) return s;
    }
  }

  private onDatagram(datagram: Buffer, fromPort: number, epoch: number): void {
    if (epoch !== this.epoch || this.closed) return;
    if (fromPort !== this.o.peerPort) {
      this.o.onEvent({ kind: 'stray', detail: `datagram from port ${fromPort}, expected ${this.o.peerPort}` });
      return;
    }
    let messages: NlMessage[];
    try {
      messages = parseNlMessages(datagram);
    } catch (e) {
      this.o.onEvent({ kind: 'bad-datagram', detail: (e as Error).message });
      return;
    }
    for (const m of messages) this.onMessage(m);
    this.scheduleFlush();
  }

  private onMessage(m: NlMessage): void {
    const p = this.inFlight.get(m.seq);
    if (!p) {
      this.o.onEvent({ kind: 'stray', detail: `message type ${m.type} seq ${m.seq} answers no pending request` });
      return;
    }
    const outcome = replyOutcome(m, p.req.operation);
    if (outcome === 'collect') p.parts.push(m);
    else if (outcome !== 'ignore') this.settle(p, outcome.error);
  }

  private settle(p: Pending, err?: IpvsError): void {
    this.inFlight.delete(p.seq);
    if (this.inFlight.size === 0) this.disarmWatchdog();
    if (p.req.dump) this.dumpInFlight = false;
    if (err) p.reject(err);
    else p.resolve(p.parts);
    this.scheduleFlush();
  }

  private onTimeout(p: Pending): void {
    this.settle(
      p,
      new IpvsError(p.req.operation, ERRNO.ETIMEDOUT, `no answer from the kernel within ${this.o.timeoutMs} ms`, {
        code: 'IPVS_TIMEOUT',
      }),
    );
    this.reset(`timeout after ${this.o.timeoutMs} ms (${p.req.operation})`);
  }

  /** Closes the socket and fails everything outstanding; the next request opens a fresh socket. */
  private reset(reason: string, cause?: unknown): void {
    const rejected = this.inFlight.size + this.queue.length;
    this.failAll(
      (p) =>
        new IpvsError(p.req.operation, 0, `IPVS netlink socket re-created after ${reason}; request not answered`, {
          code: 'IPVS_SOCKET',
          cause,
        }),
    );
    this.socket?.close();
    this.socket = undefined;
    this.epoch++;
    this.o.onEvent({ kind: 'reset', reason, rejected });
  }

  private failAll(makeError: (p: Pending) => IpvsError): void {
    const all = [...this.inFlight.values(), ...this.queue];
    this.inFlight.clear();
    this.queue.length = 0;
    this.dumpInFlight = false;
    this.disarmWatchdog();
    for (const p of all) p.reject(makeError(p));
  }
}
