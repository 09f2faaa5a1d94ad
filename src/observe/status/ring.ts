// A bounded ring of recent events for the status page: the oldest entry drops out when it is full.

export interface Ring<T> {
  push(item: T): void;
  /** Oldest first. */
  items(): readonly T[];
}

export function createRing<T>(capacity: number): Ring<T> {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
  const buf: T[] = [];
  let start = 0;
  return {
    push(item) {
      if (buf.length < capacity) buf.push(item);
      else {
        buf[start] = item;
        start = (start + 1) % capacity;
      }
    },
    items: () => [...buf.slice(start), ...buf.slice(0, start)],
  };
}
