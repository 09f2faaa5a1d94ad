// Who may hold a connection to the status server. A slot is cheap to take and slow to give back when a client
// sends its headers slowly (slowloris), so admission is decided here, per new connection:
//   - at most `perClient` connections per remote address and `total` in all;
//   - over either cap, the oldest connection that is *waiting* (no request in progress: headers not complete
//     yet, or idle between keep-alive requests) is closed to make room: of the same client over the per-client
//     cap, of anyone over the total; only when every connection is busy serving a request is the new one refused.
// A client that dribbles headers thus cannot keep others out: its waiting connections are the ones given up,
// and each of them is cut at the header deadline anyway (server.ts). On loopback every local client has the
// same address, so the per-client cap cannot tell local users apart; the eviction of waiting connections is
// what serves them. Pure bookkeeping: the caller closes what `admit` names.

export interface GuardLimits {
  readonly perClient: number;
  readonly total: number;
}

export type Admission<C> = { readonly admit: true; readonly evict: readonly C[] } | { readonly admit: false };

export interface ConnectionGuard<C> {
  /** A new connection from `client`: admitted (after closing `evict`), or refused. */
  admit(conn: C, client: string): Admission<C>;
  /** The connection's request headers are complete: it is serving, not waiting. */
  busy(conn: C): void;
  /** Its response is finished: waiting again (for the next keep-alive request). */
  idle(conn: C): void;
  closed(conn: C): void;
  size(): number;
}

interface Entry {
  readonly client: string;
  busy: boolean;
}

export function createConnectionGuard<C>(limits: GuardLimits): ConnectionGuard<C> {
  // Insertion order is age order: the first waiting entry found is the oldest one.
  const conns = new Map<C, Entry>();
  const perClient = new Map<string, number>();
  const oldestWaiting = (client: string | undefined, skip: ReadonlySet<C>): C | undefined => {
    for (const [c, e] of conns) if (!e.busy && !skip.has(c) && (client === undefined || e.client === client)) return c;
    return undefined;
  };
  const remove = (conn: C): void => {
    const e = conns.get(conn);
    if (e === undefined) return;
    conns.delete(conn);
    const n = (perClient.get(e.client) ?? 1) - 1;
    if (n <= 0) perClient.delete(e.client);
    else perClient.set(e.client, n);
  };
  return {
    admit(conn, client) {
      const evict = new Set<C>();
      if ((perClient.get(client) ?? 0) >= limits.perClient) {
        const victim = oldestWaiting(client, evict);
        if (victim === undefined) return { admit: false };
        evict.add(victim);
      }
      if (conns.size - evict.size >= limits.total) {
        const victim = oldestWaiting(undefined, evict);
        if (victim === undefined) return { admit: false };
        evict.add(victim);
      }
      for (const c of evict) remove(c);
      conns.set(conn, { client, busy: false });
      perClient.set(client, (perClient.get(client) ?? 0) + 1);
      return { admit: true, evict: [...evict] };
    },
    busy(conn) {
      const e = conns.get(conn);
      if (e !== undefined) e.busy = true;
    },
    idle(conn) {
      const e = conns.get(conn);
      if (e !== undefined) e.busy = false;
    },
    closed: remove,
    size: () => conns.size,
  };
}
