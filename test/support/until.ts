// Waiting for a condition a test cannot be told about (another process's state, a page's content): polls
// every 25 ms and fails with what it waited for once the bound passes. Never a fixed sleep.

/** Resolves with the first value `probe` returns other than undefined; rejects after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
