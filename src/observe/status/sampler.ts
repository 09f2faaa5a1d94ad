// Runs `sample` every `intervalMs` on the injected clock: the next run is scheduled when the previous one has
// finished (a slow kernel read never overlaps the next), and a failing sample is reported and the schedule
// goes on. stop() cancels the pending run; a run under way finishes but schedules nothing.

import type { Clock } from '../../health/types';

export interface SamplerOptions {
  readonly clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  readonly intervalMs: number;
  readonly sample: () => Promise<void> | void;
  readonly onError: (e: unknown) => void;
}

export interface Sampler {
  stop(): void;
}

export function startSampler(o: SamplerOptions): Sampler {
  if (!(o.intervalMs > 0)) throw new RangeError(`sampling interval must be positive, got ${o.intervalMs}`);
  let handle: unknown;
  let stopped = false;
  const run = async (): Promise<void> => {
    handle = undefined;
    try {
      await o.sample();
    } catch (e) {
      o.onError(e);
    }
    if (!stopped) handle = o.clock.setTimeout(() => void run(), o.intervalMs);
  };
  handle = o.clock.setTimeout(() => void run(), o.intervalMs);
  return {
    stop() {
      stopped = true;
      if (handle !== undefined) o.clock.clearTimeout(handle);
      handle = undefined;
    },
  };
}
