// Log lines written in one burst go out in one write. A stage of the reconciler reports its results in one
// synchronous loop (a cold start at 5,000 real servers logs 5,000 "Added real server" lines at once), and a
// write per line is a system call per line: in a cold start at 5,000 in the test guest, where a system call is
// dear, the log's writes and clock reads were 16 % of the daemon's CPU (docs/benchmarks.md, "Cold start").
//
// The lines of a burst are joined and written at the end of the current task (a microtask), or at once when
// they reach FLUSH_BYTES, in the order they were written. Nothing waits longer than the code that logged them:
// the next I/O or timer of the event loop finds them written. Lines still held when the process exits are
// written by an 'exit' listener, so a line logged just before process.exit() is not lost.

/** A burst is written at once when it reaches this size (a stream's bound is counted per write). */
export const FLUSH_BYTES = 64 * 1024;

export interface LineBatch {
  /** Holds the line for the burst's write. */
  write(text: string): void;
  /** Writes what is held now. */
  flush(): void;
  /** Characters held, not yet written. */
  pending(): number;
  /** Writes what is held and stops holding: later lines are written one by one. */
  close(): void;
}

const live = new Set<LineBatch>();
let exitHooked = false;

function flushAll(): void {
  for (const b of live) b.flush();
}

/**
 * Batches the lines given to `write` into one call of `out` per burst. `out` receives whole lines, joined;
 * whatever it throws is its own to handle (the sinks guard their writes). `schedule` is queueMicrotask unless a
 * test gives another.
 */
export function batchLines(out: (text: string) => void, schedule: (f: () => void) => void = queueMicrotask): LineBatch {
  let held: string[] = [];
  let bytes = 0;
  let scheduled = false;
  let closed = false;
  const flush = (): void => {
    if (held.length === 0) return;
    const text = held.length === 1 ? (held[0] as string) : held.join('');
    held = [];
    bytes = 0;
    out(text);
  };
  const batch: LineBatch = {
    write: (text) => {
      if (closed) return out(text);
      held.push(text);
      bytes += text.length;
      if (bytes >= FLUSH_BYTES) return flush();
      if (scheduled) return;
      scheduled = true;
      schedule(() => {
        scheduled = false;
        flush();
      });
    },
    flush,
    pending: () => bytes,
    close: () => {
      flush();
      closed = true;
      live.delete(batch);
    },
  };
  live.add(batch);
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', flushAll);
  }
  return batch;
}
