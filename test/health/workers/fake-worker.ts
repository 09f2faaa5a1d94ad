// In-process stand-ins for check worker threads: serve.ts on one side, the runner's WorkerPort on the other,
// messages structured-cloned and delivered a microtask later (or `delayMs` later on the fake clock), so the
// runner and the pool are tested under the fake clock with no thread. A stand-in can die (an uncaught error,
// then exit) and counts what it was sent.
import type { Check, Clock } from '../../../src/health/types';
import type { FromWorker, ToWorker, WorkerPort } from '../../../src/health/workers/protocol';
import { serveChecks } from '../../../src/health/workers/serve';

export interface FakeWorker extends WorkerPort {
  readonly index: number;
  /** Check orders received. */
  readonly orders: number;
  /** Ends the worker as an uncaught exception would: 'error' then 'exit' (code 1). */
  die(message: string): void;
  readonly dead: boolean;
}

export interface FakeWorkers {
  readonly spawn: (index: number) => WorkerPort;
  readonly started: FakeWorker[];
}

export function fakeWorkers(run: Check, clock: Clock, options: { delayMs?: number } = {}): FakeWorkers {
  const started: FakeWorker[] = [];
  const later = (fn: () => void): void => {
    if (options.delayMs === undefined) queueMicrotask(fn);
    else clock.setTimeout(fn, options.delayMs);
  };
  const spawn = (index: number): WorkerPort => {
    let toWorker: ((m: ToWorker) => void) | undefined;
    const toMain: ((m: FromWorker) => void)[] = [];
    const errors: ((e: Error) => void)[] = [];
    const exits: ((code: number) => void)[] = [];
    let dead = false;
    let orders = 0;
    const end = (code: number, error?: Error): void => {
      if (dead) return;
      dead = true;
      queueMicrotask(() => {
        if (error !== undefined) for (const l of errors) l(error);
        for (const l of exits) l(code);
      });
    };
    serveChecks({
      onMessage: (l) => (toWorker = l),
      post: (m) => {
        const copy = structuredClone(m);
        later(() => {
          if (!dead) for (const l of toMain) l(copy);
        });
      },
      run,
      now: () => clock.now(),
      defer: (fn) => queueMicrotask(fn),
      setTimer: (fn, ms) => clock.setTimeout(fn, ms),
      clearTimer: (handle) => clock.clearTimeout(handle),
      lagProbe: false,
    });
    const worker: FakeWorker = {
      index,
      get orders() {
        return orders;
      },
      get dead() {
        return dead;
      },
      post: (m) => {
        const copy = structuredClone(m);
        later(() => {
          if (dead) return;
          orders += copy.run.length;
          toWorker?.(copy);
        });
      },
      onMessage: (l) => void toMain.push(l),
      onError: (l) => void errors.push(l),
      onExit: (l) => void exits.push(l),
      terminate: () => {
        end(1);
        return Promise.resolve(1);
      },
      die: (message) => end(1, new Error(message)),
    };
    started.push(worker);
    return worker;
  };
  return { spawn, started };
}
