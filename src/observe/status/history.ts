// The status page's recent history, in bounded memory: for each virtual service and real server, one value per
// sample over the last `slots` samples (a ring shared by all of them), in typed arrays:
//   - connection rate and traffic rates in and out, from the kernel's counters (delta / elapsed seconds);
//   - check latency: the slowest check that finished during the sample (no check finished: the last one's);
//   - health state (STATE below) and the number of transitions during the sample (the timeline).
// Per key: 4 Float32 series + 2 byte series + 3 Float64 counters ≈ 18·slots + 24 bytes of arrays (2.2 KB at
// 120 slots, ~11 MB for 5,000 real servers); keys that leave the config leave at the next tick.
// No clock of its own: the sampler (sampler.ts) calls tick() with the time. Pure data structure.

/** Timeline states (svg.ts STATE_COLOURS). 0 = no sample. */
export const STATE = { none: 0, up: 1, down: 2, unknown: 3, drain: 4, maintenance: 5 } as const;

export interface Counters {
  readonly conns: number;
  readonly inBytes: number;
  readonly outBytes: number;
}

export interface TickInput {
  /** Wall-clock ms of the sample. */
  readonly at: number;
  /** Kernel counters by key (virtual id, or real server target id); a key without a row has no rate. */
  readonly counters: ReadonlyMap<string, Counters>;
  /** State by real server target id (STATE). */
  readonly states: ReadonlyMap<string, number>;
  /** Every key kept (virtual ids and target ids of the config); others are forgotten. */
  readonly keys: Iterable<string>;
}

/** One key's series, oldest first, each `slots` long (NaN / 0 where there is no sample). */
export interface SeriesView {
  readonly conns: Float32Array;
  readonly inBytes: Float32Array;
  readonly outBytes: Float32Array;
  readonly latency: Float32Array;
  readonly states: Uint8Array;
  readonly marks: Uint8Array;
}

export interface History {
  readonly slots: number;
  tick(input: TickInput): void;
  /** A check of `id` finished, taking `durationMs`. */
  checked(id: string, durationMs: number): void;
  /** `id` changed state. */
  transition(id: string): void;
  /** How many ticks so far (the page's graphs change only when this does). */
  ticks(): number;
  /** Time of the newest sample (NaN before the first). */
  lastAt(): number;
  series(key: string): SeriesView | undefined;
  keys(): IterableIterator<string>;
}

/** A key's series and what the next tick needs to extend them. */
interface Entry extends SeriesView {
  /** conns, inBytes, outBytes at the previous tick (NaN: none). */
  readonly prev: Float64Array;
  slowest: number;
  lastLatency: number;
  transitions: number;
}

export function createHistory(slots: number): History {
  if (!Number.isInteger(slots) || slots < 2) throw new RangeError(`history needs at least 2 samples, got ${slots}`);
  const entries = new Map<string, Entry>();
  let head = 0; // the next slot written (= the oldest)
  let count = 0;
  let prevAt = NaN;
  let lastAt = NaN;

  const entry = (key: string): Entry => {
    let e = entries.get(key);
    if (e === undefined) {
      e = {
        conns: new Float32Array(slots).fill(NaN),
        inBytes: new Float32Array(slots).fill(NaN),
        outBytes: new Float32Array(slots).fill(NaN),
        latency: new Float32Array(slots).fill(NaN),
        states: new Uint8Array(slots),
        marks: new Uint8Array(slots),
        prev: new Float64Array(3).fill(NaN),
        slowest: NaN,
        lastLatency: NaN,
        transitions: 0,
      };
      entries.set(key, e);
    }
    return e;
  };
  const rate = (now: number, before: number, seconds: number): number =>
    now >= before && seconds > 0 ? (now - before) / seconds : NaN;
  const ordered = <A extends Float32Array | Uint8Array>(a: A): A => {
    const out = a.slice() as A;
    out.set(a.subarray(head), 0);
    out.set(a.subarray(0, head), slots - head);
    return out;
  };

  return {
    slots,
    tick(input) {
      const keep = new Set(input.keys);
      for (const k of entries.keys()) if (!keep.has(k)) entries.delete(k);
      const seconds = (input.at - prevAt) / 1000;
      for (const key of keep) {
        const e = entry(key);
        const c = input.counters.get(key);
        if (c === undefined) {
          e.conns[head] = e.inBytes[head] = e.outBytes[head] = NaN;
          e.prev.fill(NaN);
        } else {
          e.conns[head] = rate(c.conns, e.prev[0] as number, seconds);
          e.inBytes[head] = rate(c.inBytes, e.prev[1] as number, seconds);
          e.outBytes[head] = rate(c.outBytes, e.prev[2] as number, seconds);
          e.prev[0] = c.conns;
          e.prev[1] = c.inBytes;
          e.prev[2] = c.outBytes;
        }
        if (!Number.isNaN(e.slowest)) e.lastLatency = e.slowest;
        e.latency[head] = e.lastLatency;
        e.slowest = NaN;
        e.states[head] = input.states.get(key) ?? STATE.none;
        e.marks[head] = Math.min(e.transitions, 255);
        e.transitions = 0;
      }
      head = (head + 1) % slots;
      count++;
      prevAt = lastAt = input.at;
    },
    checked(id, durationMs) {
      const e = entry(id);
      if (Number.isNaN(e.slowest) || durationMs > e.slowest) e.slowest = durationMs;
    },
    transition(id) {
      entry(id).transitions++;
    },
    ticks: () => count,
    lastAt: () => lastAt,
    series(key) {
      const e = entries.get(key);
      if (e === undefined) return undefined;
      return {
        conns: ordered(e.conns),
        inBytes: ordered(e.inBytes),
        outBytes: ordered(e.outBytes),
        latency: ordered(e.latency),
        states: ordered(e.states),
        marks: ordered(e.marks),
      };
    },
    keys: () => entries.keys(),
  };
}
