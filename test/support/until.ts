// The one way a test waits for a condition it cannot be told about (another process's state, a page's
// content, I/O under way in the code under test): poll, and fail with what it waited for once a generous
// bound passes. Never a fixed sleep. The bound is there so a broken build fails instead of hanging; it is not
// a speed goal (those live in bench/), so it is wide enough for a machine whose cores are all busy.

export interface UntilOptions {
  /** Give up after this long (default 60 s). */
  readonly timeoutMs?: number;
  /** Pause between probes (default 25 ms). */
  readonly intervalMs?: number;
  /** Treat a probe that throws as "not yet" (a server still starting refuses connections). */
  readonly retryOnError?: boolean;
}

/** Resolves with the first value `probe` returns other than undefined; rejects after the timeout. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  options: UntilOptions | number = {},
): Promise<T> {
  const o = typeof options === 'number' ? { timeoutMs: options } : options;
  const timeoutMs = o.timeoutMs ?? 60_000;
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    let v: T | undefined;
    try {
      v = await probe();
    } catch (err) {
      if (o.retryOnError !== true) throw err;
      lastError = err;
    }
    if (v !== undefined) return v;
    if (Date.now() > end) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 25));
  }
}

/** Resolves once `cond` holds; rejects after the timeout. */
export async function untilTrue(
  what: string,
  cond: () => boolean | Promise<boolean>,
  options: UntilOptions | number = {},
): Promise<void> {
  await until(what, async () => ((await cond()) ? true : undefined), options);
}
