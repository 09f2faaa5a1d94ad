// Withdraw before emptying (docs/decisions/013-bgp-announce.md, "Drain"). When an announced VIP's virtual
// service loses its last healthy real server, the route is withdrawn at once, but the kernel keeps the real
// servers it had for `announcedrain` seconds more: the flows the router still sends here while BGP converges
// reach a real server instead of an empty service (the kernel answers those with a reset). Then a pass removes
// them as the checks say.
//
//   holding(vid)   asked by the director for a real server the checks found down: true while the service's
//                  hold lasts. The first ask for a service that is `emptying` (announced now, no real server
//                  up, withdrawn once empty) starts a hold of drainMs; its end asks for a pass (`expired`).
//   serving(vid)   the service has a healthy real server again: its next emptying starts a new hold.
// A hold never starts for a prefix that is not announced (nothing to drain) or when drainMs is 0.

export interface DrainOptions {
  readonly drainMs: () => number;
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
  /** The service is announced now and becomes withdrawn for want of a healthy real server. */
  readonly emptying: (vid: string) => boolean;
  /** A hold ended: a pass must now remove what it kept. */
  readonly expired: (vid: string) => void;
}

export interface Drain {
  holding(vid: string): boolean;
  serving(vid: string): void;
  /** Vids whose hold lasts now. */
  active(): readonly string[];
  stop(): void;
}

interface Hold {
  over: boolean;
  timer: unknown;
}

export function createDrain(o: DrainOptions): Drain {
  const holds = new Map<string, Hold>();
  const end = (vid: string, h: Hold): void => {
    h.over = true;
    h.timer = undefined;
    o.expired(vid);
  };
  return {
    holding(vid) {
      const h = holds.get(vid);
      if (h !== undefined) return !h.over;
      const ms = o.drainMs();
      if (!(ms > 0) || !o.emptying(vid)) return false;
      const hold: Hold = { over: false, timer: undefined };
      hold.timer = o.setTimeout(() => end(vid, hold), ms);
      holds.set(vid, hold);
      return true;
    },
    serving(vid) {
      const h = holds.get(vid);
      if (h === undefined) return;
      if (h.timer !== undefined) o.clearTimeout(h.timer);
      holds.delete(vid);
    },
    active: () => [...holds].filter(([, h]) => !h.over).map(([vid]) => vid),
    stop() {
      for (const h of holds.values()) if (h.timer !== undefined) o.clearTimeout(h.timer);
      holds.clear();
    },
  };
}
