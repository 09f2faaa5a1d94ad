// Pure scheduling arithmetic for the pool: where in its interval a check runs, when it runs next,
// and a binary min-heap of due times (10 000 targets must not mean a 10 000-entry scan per tick).

/** FNV-1a over the key's UTF-16 units: a deterministic, well-spread 32-bit hash. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The first run's offset within the interval, derived from the check key: deterministic (same config →
 * same timing, reproducible tests) and spread over [0, interval) so that no thundering herd starts at once.
 */
export function initialOffset(key: string, intervalMs: number): number {
  return Math.floor((hash32(key) / 2 ** 32) * intervalMs);
}

/** How much time the first round of new checks gets per check: 0.5 ms, i.e. 2,000 first checks a second. */
export const FIRST_ROUND_MS_PER_CHECK = 0.5;

/**
 * New checks (start-up, reload, new real servers) get their first run spread over a window that grows with
 * their number: `count` × FIRST_ROUND_MS_PER_CHECK, at most one interval. So 100 new checks all run within
 * 50 ms and the table is complete at once, not up to one checkinterval (10 s by default) later, while
 * thousands keep the full spread that a machine near its capacity needs (a first round squeezed into less
 * would leave a backlog that only the spare capacity drains).
 */
export function firstRoundWindow(intervalMs: number, count: number): number {
  return Math.min(intervalMs, count * FIRST_ROUND_MS_PER_CHECK);
}

/**
 * The first run's due time (spread over `windowMs` from `start`) and the second's: the check's own slot in
 * the next interval, from then on every interval. With a window of a full interval this is the plain spread.
 */
export function firstRuns(
  key: string,
  start: number,
  intervalMs: number,
  windowMs: number,
): { first: number; second: number } {
  return { first: start + initialOffset(key, windowMs), second: start + intervalMs + initialOffset(key, intervalMs) };
}

/**
 * The daemon's wakeup coalescing (pool option coalesceMs, decision 008): a timer tick also starts the checks
 * due within the next 100 ms, at most 32 of them ahead of time. Spread checks then share wakeups — ten a
 * second at most for a sparse schedule instead of one per check — and a check runs at most 100 ms early,
 * while its next run stays one interval after its due time.
 */
export const WAKEUP_COALESCE_MS = 100;
export const WAKEUP_COALESCE_MAX = 32;

/**
 * Fixed-rate schedule: the next run is one interval after the previous *due* time, so lateness does not
 * accumulate. A check that overran its interval runs again as soon as it finished (never two at once).
 */
export function nextDue(due: number, intervalMs: number, finishedAt: number): number {
  return Math.max(due + intervalMs, finishedAt);
}

export interface HeapEntry<T> {
  readonly at: number;
  readonly value: T;
}

export class MinHeap<T> {
  private readonly items: HeapEntry<T>[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): HeapEntry<T> | undefined {
    return this.items[0];
  }

  push(at: number, value: T): void {
    const items = this.items;
    items.push({ at, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as HeapEntry<T>;
      const c = items[i] as HeapEntry<T>;
      if (p.at <= c.at) break;
      items[parent] = c;
      items[i] = p;
      i = parent;
    }
  }

  pop(): HeapEntry<T> | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && (items[l] as HeapEntry<T>).at < (items[m] as HeapEntry<T>).at) m = l;
      if (r < items.length && (items[r] as HeapEntry<T>).at < (items[m] as HeapEntry<T>).at) m = r;
      if (m === i) break;
      const tmp = items[i] as HeapEntry<T>;
      items[i] = items[m] as HeapEntry<T>;
      items[m] = tmp;
      i = m;
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}
