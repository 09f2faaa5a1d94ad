// The real clock, for the composition root and benchmarks (tests inject a fake one). Monotonic: wall-clock
// steps (NTP, DST) never bunch or starve checks.
import type { Clock } from './types';

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
