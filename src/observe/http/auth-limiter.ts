// Failed logins cost the server one scrypt each (~0.1 s of CPU): a client that keeps guessing is slowed down
// per client address. A token bucket per address: `burst` failures at once, then one every `refillMs`; a
// client with no token left is answered 429 without running scrypt. Successes cost nothing here. At most
// `maxClients` addresses are remembered (the oldest forgotten first). Pure apart from the injected clock.

export interface AuthLimiterOptions {
  readonly now: () => number;
  readonly burst?: number;
  readonly refillMs?: number;
  readonly maxClients?: number;
}

export interface AuthLimiter {
  /** 0 when `client` may try now; otherwise the ms until it may. */
  waitMs(client: string): number;
  /** A failed attempt by `client`: takes a token. */
  failed(client: string): void;
}

export const AUTH_LIMITS = { burst: 5, refillMs: 1000, maxClients: 1024 } as const;

export function createAuthLimiter(o: AuthLimiterOptions): AuthLimiter {
  const burst = o.burst ?? AUTH_LIMITS.burst;
  const refill = o.refillMs ?? AUTH_LIMITS.refillMs;
  const max = o.maxClients ?? AUTH_LIMITS.maxClients;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const level = (client: string): { tokens: number; at: number } => {
    const now = o.now();
    const b = buckets.get(client);
    if (b === undefined) return { tokens: burst, at: now };
    const tokens = Math.min(burst, b.tokens + Math.floor((now - b.at) / refill));
    // Whole tokens only: the time of the partly refilled one is kept.
    return { tokens, at: tokens === burst ? now : b.at + Math.floor((now - b.at) / refill) * refill };
  };
  return {
    waitMs(client) {
      const b = level(client);
      return b.tokens > 0 ? 0 : Math.max(1, b.at + refill - o.now());
    },
    failed(client) {
      const b = level(client);
      buckets.delete(client);
      if (buckets.size >= max) buckets.delete(buckets.keys().next().value as string);
      buckets.set(client, { tokens: Math.max(0, b.tokens - 1), at: b.at });
    },
  };
}
