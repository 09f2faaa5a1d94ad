// The time of a log line, read once per burst: the lines logged by one task (a stage's 5,000 "Added real
// server" lines) carry the time the first of them was logged, and the clock is read again for the next task.
// ctime has whole seconds, and a burst is one event; in the test guest a clock read is a system call, and a
// read per line was a large share of a cold start's logging (docs/benchmarks.md, "Cold start").

/** A clock that reads `read` at most once per task (until the microtasks queued after the first read run). */
export function burstClock(
  read: () => number = Date.now,
  schedule: (f: () => void) => void = queueMicrotask,
): () => number {
  let held: number | undefined;
  const forget = (): void => {
    held = undefined;
  };
  return () => {
    if (held === undefined) {
      held = read();
      schedule(forget);
    }
    return held;
  };
}
