// A config load that a stop abandons and the clock bounds (docs/behaviour.md §1.5): the daemon never waits on a
// file for ever (a FIFO in conf.d, a hung network filesystem).

import type { Clock } from '../../health/types';
import type { ConfigSource, LoadResult } from './collaborators';

export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

/** How long a config load may take before the start fails or the reload is abandoned. */
export const LOAD_TIMEOUT_MS = 30_000;
export const STOPPED: unique symbol = Symbol('stopped');
export const TIMED_OUT: unique symbol = Symbol('timed out');
export type Loaded = LoadResult | { readonly thrown: unknown } | typeof STOPPED | typeof TIMED_OUT;

/** A config load that a stop abandons and the clock bounds: the daemon never waits on a file for ever. */
export function boundedLoad(
  d: { readonly config: Pick<ConfigSource, 'load'>; readonly clock: Clock },
  file: string,
  stopped: Promise<typeof STOPPED>,
): Promise<Loaded> {
  let timer: unknown;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = d.clock.setTimeout(() => resolve(TIMED_OUT), LOAD_TIMEOUT_MS);
  });
  const load = d.config.load(file).catch((e: unknown) => ({ thrown: e }));
  return Promise.race([load, stopped, timeout]).finally(() => d.clock.clearTimeout(timer));
}
