// The wall clock as the injected Clock (src/health/types.ts): logs, mails, the status page, resync timers.
// The health pool's schedule uses the monotonic one (src/health/clock.ts).

import type { Clock } from '../health/types';

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
