// Promise.allSettled over a list, with at most `limit` of the calls outstanding at once. apply() runs a stage
// of thousands of independent ops (5,000 dests at a cold start): started all at once, every op's promise
// chain, closures and queued request lived through the young generation's collections until the kernel had
// answered it, and the profile of a cold start at 5,000 in the guest showed ~1.7 s of garbage collection
// before the first dest was even sent. A few times the transport's window keeps it full and its datagrams
// batched while holding only that many alive: the first real server now enters the table 0.1 s after the
// first virtual service instead of 0.8-1.0 s (docs/benchmarks.md, "Cold start").

export async function settleBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<Array<PromiseSettledResult<R>>> {
  const outcomes = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        outcomes[i] = { status: 'fulfilled', value: await fn(items[i] as T) };
      } catch (reason) {
        outcomes[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, lane));
  return outcomes;
}
