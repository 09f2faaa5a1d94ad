// Deadlines of running checks, on the pool's one timer (a timer per check costs a clock read each): a min-heap
// of abort times. A check that ended is marked settled; its entry is dropped when it reaches the top, so it
// never costs a wakeup (decision 008).
import { MinHeap } from './schedule';

/** One running check's deadline. */
export interface Deadline {
  readonly controller: AbortController;
  /** Set once the check ended: the entry is dropped, never fired. */
  settled: boolean;
}

export class Deadlines {
  private readonly heap = new MinHeap<Deadline>();

  add(at: number, deadline: Deadline): void {
    this.heap.push(at, deadline);
  }

  /** When the earliest deadline of a check still running is (Infinity: none). */
  next(): number {
    for (let d = this.heap.peek(); d !== undefined && d.value.settled; d = this.heap.peek()) this.heap.pop();
    return this.heap.peek()?.at ?? Infinity;
  }

  /** Aborts every running check whose deadline is at or before `now`. */
  fire(now: number): void {
    for (let d = this.heap.peek(); d !== undefined && d.at <= now; d = this.heap.peek()) {
      this.heap.pop();
      if (!d.value.settled) d.value.controller.abort();
    }
  }

  clear(): void {
    this.heap.clear();
  }
}
