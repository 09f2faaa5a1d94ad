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

/**
 * A new check runs at once (start-up, reload, a new real server), so a complete table does not wait for the
 * spread; its second run is at its spread slot in the *next* interval, and from then on every interval.
 * Returns the second run's due time for a check first run at `start`.
 */
export function secondDue(key: string, start: number, intervalMs: number): number {
  return start + intervalMs + initialOffset(key, intervalMs);
}

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
