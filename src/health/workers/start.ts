// The check workers as the daemon runs them (process/system.ts): real worker threads on the monotonic clock,
// the main thread's checks for the rest, as many as checkWorkerCount says.
import { runCheck } from '../checks';
import { systemClock } from '../clock';
import { checkWorkerCount } from './route';
import { createCheckWorkers, type CheckWorkers, type WorkerDeath } from './runner';
import { startWorkerThread } from './thread';

/** Undefined when the count is 0: the pool then runs every check itself, exactly as without workers. */
export function startCheckWorkers(
  configured: number | undefined,
  onDeath: (d: WorkerDeath) => void,
): CheckWorkers | undefined {
  const count = checkWorkerCount(configured);
  if (count === 0) return undefined;
  return createCheckWorkers({ count, clock: systemClock, spawn: () => startWorkerThread(), local: runCheck, onDeath });
}
