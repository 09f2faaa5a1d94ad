// The status page's recent history, in bounded memory: for each virtual service and real server, one value per
// sample over the last `slots` samples (a ring shared by all of them), in typed arrays:
//   - connection rate and traffic rates in and out, from the kernel's counters (delta / elapsed seconds);
//   - check latency: the slowest check that finished during the sample (no check finished: the last one's);
//   - health state (STATE below) and the number of transitions during the sample (the timeline).
// Per key: 4 two-byte series (sample-code.ts) + 2 byte series + 5 numbers ≈ 10·slots + 44 bytes (1.2 KB at 120
// slots, ~6 MB for 5,000 real servers), all keys' rows in one set of arrays (Rows below); keys that leave the
// config leave at the next tick.
// No clock of its own: the sampler (sampler.ts) calls tick() with the time. Pure data structure.

import { decodeSample, encodeSample } from './sample-code';

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

/** Rows kept per series array at first; the arrays grow by a quarter when the keys outgrow them (a tick makes
 * room for all its keys at once), so at most a quarter of the rows sit unused. */
const INITIAL_ROWS = 64;
const GROWTH = 1.25;
/** sample-code.ts's code for "no sample". */
const NO_SAMPLE = encodeSample(NaN);

/**
 * All keys' series in one set of arrays, a row of `slots` values per key (row r of a series is
 * [r·slots, (r+1)·slots)), so 5,000 real servers cost these 10 typed arrays and not 7 per key: each typed
 * array is an ArrayBuffer with its own off-heap allocation and bookkeeping, which a heap snapshot at 1,000
 * put at more than half the values' own size (docs/benchmarks.md, "Memory"; bench/results/memory-2026-12-02c.md).
 * Rows of forgotten keys are reused, blanked first.
 */
interface Rows {
  capacity: number;
  /** The four measured series, each sample in two bytes (sample-code.ts). */
  conns: Uint16Array;
  inBytes: Uint16Array;
  outBytes: Uint16Array;
  latency: Uint16Array;
  states: Uint8Array;
  marks: Uint8Array;
  /** conns, inBytes, outBytes at the previous tick, 3 per row (NaN: none). */
  prev: Float64Array;
  /** The slowest check finished since the last tick (NaN: none), and the one before that, per row. */
  slowest: Float64Array;
  lastLatency: Float64Array;
  transitions: Uint32Array;
}

function allocateRows(capacity: number, slots: number): Rows {
  return {
    capacity,
    conns: new Uint16Array(capacity * slots),
    inBytes: new Uint16Array(capacity * slots),
    outBytes: new Uint16Array(capacity * slots),
    latency: new Uint16Array(capacity * slots),
    states: new Uint8Array(capacity * slots),
    marks: new Uint8Array(capacity * slots),
    prev: new Float64Array(capacity * 3),
    slowest: new Float64Array(capacity),
    lastLatency: new Float64Array(capacity),
    transitions: new Uint32Array(capacity),
  };
}

/** `old`'s values in arrays of at least `capacity` rows. */
function grow(old: Rows, slots: number, capacity = Math.ceil(old.capacity * GROWTH)): Rows {
  const next = allocateRows(Math.max(capacity, old.capacity), slots);
  next.conns.set(old.conns);
  next.inBytes.set(old.inBytes);
  next.outBytes.set(old.outBytes);
  next.latency.set(old.latency);
  next.states.set(old.states);
  next.marks.set(old.marks);
  next.prev.set(old.prev);
  next.slowest.set(old.slowest);
  next.lastLatency.set(old.lastLatency);
  next.transitions.set(old.transitions);
  return next;
}

/** Row `r` as it is when a key first appears: no samples. */
function blank(rows: Rows, r: number, slots: number): void {
  for (const a of [rows.conns, rows.inBytes, rows.outBytes, rows.latency])
    a.fill(NO_SAMPLE, r * slots, (r + 1) * slots);
  rows.states.fill(0, r * slots, (r + 1) * slots);
  rows.marks.fill(0, r * slots, (r + 1) * slots);
  rows.prev.fill(NaN, r * 3, r * 3 + 3);
  rows.slowest[r] = NaN;
  rows.lastLatency[r] = NaN;
  rows.transitions[r] = 0;
}

export function createHistory(slots: number): History {
  if (!Number.isInteger(slots) || slots < 2) throw new RangeError(`history needs at least 2 samples, got ${slots}`);
  /** Each key's row, in the order the keys appeared. */
  const rowOf = new Map<string, number>();
  const freeRows: number[] = [];
  let rows = allocateRows(INITIAL_ROWS, slots);
  let used = 0; // rows ever handed out (free ones included)
  let head = 0; // the next slot written (= the oldest)
  let count = 0;
  let prevAt = NaN;
  let lastAt = NaN;

  const row = (key: string): number => {
    let r = rowOf.get(key);
    if (r === undefined) {
      r = freeRows.pop();
      if (r === undefined) {
        if (used === rows.capacity) rows = grow(rows, slots);
        r = used++;
      }
      blank(rows, r, slots);
      rowOf.set(key, r);
    }
    return r;
  };
  const rate = (now: number, before: number, seconds: number): number =>
    now >= before && seconds > 0 ? (now - before) / seconds : NaN;
  /** Row r of a two-byte series, oldest first, decoded. */
  const decoded = (a: Uint16Array, r: number): Float32Array => {
    const out = new Float32Array(slots);
    for (let i = 0; i < slots; i++) out[i] = decodeSample(a[r * slots + ((head + i) % slots)] as number);
    return out;
  };
  /** Row r of a byte series, oldest first, in an array of its own. */
  const ordered = (a: Uint8Array, r: number): Uint8Array => {
    const base = r * slots;
    const out = a.slice(base, base + slots);
    out.set(a.subarray(base + head, base + slots), 0);
    out.set(a.subarray(base, base + head), slots - head);
    return out;
  };

  return {
    slots,
    tick(input) {
      const keep = new Set(input.keys);
      for (const [k, r] of rowOf)
        if (!keep.has(k)) {
          rowOf.delete(k);
          freeRows.push(r);
        }
      let arriving = 0;
      for (const k of keep) if (!rowOf.has(k)) arriving++;
      const wanted = used + Math.max(0, arriving - freeRows.length);
      if (wanted > rows.capacity) rows = grow(rows, slots, wanted);
      const seconds = (input.at - prevAt) / 1000;
      for (const key of keep) {
        const r = row(key);
        const at = r * slots + head;
        const c = input.counters.get(key);
        const { prev } = rows;
        if (c === undefined) {
          rows.conns[at] = rows.inBytes[at] = rows.outBytes[at] = NO_SAMPLE;
          prev.fill(NaN, r * 3, r * 3 + 3);
        } else {
          rows.conns[at] = encodeSample(rate(c.conns, prev[r * 3] as number, seconds));
          rows.inBytes[at] = encodeSample(rate(c.inBytes, prev[r * 3 + 1] as number, seconds));
          rows.outBytes[at] = encodeSample(rate(c.outBytes, prev[r * 3 + 2] as number, seconds));
          prev[r * 3] = c.conns;
          prev[r * 3 + 1] = c.inBytes;
          prev[r * 3 + 2] = c.outBytes;
        }
        const slowest = rows.slowest[r] as number;
        if (!Number.isNaN(slowest)) rows.lastLatency[r] = slowest;
        rows.latency[at] = encodeSample(rows.lastLatency[r] as number);
        rows.slowest[r] = NaN;
        rows.states[at] = input.states.get(key) ?? STATE.none;
        rows.marks[at] = Math.min(rows.transitions[r] as number, 255);
        rows.transitions[r] = 0;
      }
      head = (head + 1) % slots;
      count++;
      prevAt = lastAt = input.at;
    },
    checked(id, durationMs) {
      const r = row(id);
      const slowest = rows.slowest[r] as number;
      if (Number.isNaN(slowest) || durationMs > slowest) rows.slowest[r] = durationMs;
    },
    transition(id) {
      const r = row(id);
      rows.transitions[r] = (rows.transitions[r] as number) + 1;
    },
    ticks: () => count,
    lastAt: () => lastAt,
    series(key) {
      const r = rowOf.get(key);
      if (r === undefined) return undefined;
      return {
        conns: decoded(rows.conns, r),
        inBytes: decoded(rows.inBytes, r),
        outBytes: decoded(rows.outBytes, r),
        latency: decoded(rows.latency, r),
        states: ordered(rows.states, r),
        marks: ordered(rows.marks, r),
      };
    },
    keys: () => rowOf.keys(),
  };
}
