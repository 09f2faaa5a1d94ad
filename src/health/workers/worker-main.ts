// The check worker thread's entry (thread.ts starts it): the checks of checks/index.ts served on the parent
// port. An exception that escapes a check ends this thread only; the runner fails its checks and replaces it.
import { parentPort } from 'node:worker_threads';
import { runCheck } from '../checks';
import type { ToWorker } from './protocol';
import { serveChecks } from './serve';

const port = parentPort;
if (port !== null) {
  serveChecks({
    onMessage: (listener) => port.on('message', (m: ToWorker) => listener(m)),
    post: (m) => port.postMessage(m),
    run: runCheck,
    now: () => performance.now(),
    defer: (fn) => setImmediate(fn),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  });
}
