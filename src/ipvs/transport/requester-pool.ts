// Several netlink sockets behind one request interface, so that a burst of IPVS operations is not paced by
// the event loop's turns.
//
// Why: the `netlink` addon reads at most 32 datagrams from a socket each time the loop polls it, and the
// kernel answers every message with a datagram of its own. On a director whose checks keep the loop busy, a
// turn lasts long (up to ~1 s in the one-CPU test guest at 1,000 real servers), so one socket completes 32
// operations a turn: a cold start's pass of 781 dest adds took 31.5 s there while the same pass took 1.6 s
// with the checks stopped (docs/benchmarks.md, "Cold start"). Each socket is polled on its own, so N sockets
// complete N × 32 a turn: 16 sockets, 512 (the reconciler's apply keeps that many outstanding).
//
// Rules:
//   * A request goes to the least-loaded requester (queued + in flight), the first on a tie: one request at a
//     time always uses the first socket, and the others open only when requests overlap (a requester opens
//     its socket when it first sends). Dumps too: the kernel allows one dump per socket, so dumps asked
//     together (a pass reading its services' dests) run side by side, and a second dump that lands on a
//     socket waits there for the first (requester.ts).
//   * Requests outstanding together may complete in any order. Callers that need an order await (the
//     reconciler's apply runs a stage's independent operations together and awaits the stage).
//   * Each requester times out and re-creates its socket on its own (requester.ts); a reset fails only what
//     was on that socket.

import type { NlMessage } from '../codec/netlink';
import type { NetlinkRequest } from './requester';

/** What the IPVS client needs from its transport (requester.ts, or a pool of them). */
export interface Requester {
  request(req: NetlinkRequest): Promise<NlMessage[]>;
  close(): void;
  /** Requests queued or in flight. */
  readonly load: number;
}

/** Sockets a director opens for IPVS operations at most (see above). */
export const IPVS_SOCKETS = 16;

export class RequesterPool implements Requester {
  constructor(private readonly members: readonly Requester[]) {
    if (members.length === 0) throw new RangeError('a requester pool needs at least one requester');
  }

  get load(): number {
    let sum = 0;
    for (const m of this.members) sum += m.load;
    return sum;
  }

  request(req: NetlinkRequest): Promise<NlMessage[]> {
    return this.pick().request(req);
  }

  close(): void {
    for (const m of this.members) m.close();
  }

  private pick(): Requester {
    let best = this.members[0] as Requester;
    for (const m of this.members) if (m.load < best.load) best = m;
    return best;
  }
}
