// The process's own event-loop delay, for adaptive admission (admission.ts): the worst delay seen since the
// previous read, from Node's built-in sampler (perf_hooks.monitorEventLoopDelay, 10 ms resolution).
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LagProbe {
  /** Worst event-loop delay in ms since the previous call. */
  lagMs(): number;
  close(): void;
}

export function createLagProbe(): LagProbe {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    lagMs: () => {
      // max includes the sampling resolution itself; what matters is delay beyond it.
      const worst = Math.max(0, histogram.max / 1e6 - 10);
      histogram.reset();
      return worst;
    },
    close: () => histogram.disable(),
  };
}
