// The messages between the health pool's thread and its check workers (runner.ts ↔ serve.ts). Batched: the
// main thread sends the orders of one scheduling turn in one message, a worker the answers of one turn of its
// event loop, so a check costs a share of a message, not two messages. Everything here survives structured
// cloning (plain objects, strings, numbers).
import type { CheckSpec } from '../types';

/** Run this check; `id` is the runner's, unique per runner. */
export interface RunOrder {
  readonly id: number;
  readonly spec: CheckSpec;
}

export interface ToWorker {
  readonly run: readonly RunOrder[];
  /** Ids whose check the pool aborted (its timeout, or stop()). */
  readonly abort: readonly number[];
}

export interface Answer {
  readonly id: number;
  readonly ok: boolean;
  readonly reason: string;
  /** The check threw instead of resolving: its message (the pool reports it as an unexpected failure). */
  readonly thrown?: string;
  /** Worker time from receiving the order to queueing this answer, ms: the rest of the round trip is queueing. */
  readonly workMs: number;
}

/** A worker's first message, sent once it is loaded and listening, has no answers: it is ready. */
export interface FromWorker {
  readonly answers: readonly Answer[];
  /** The worst delay of the worker's event loop since its previous message (serve.ts), when it measured one. */
  readonly lagMs?: number;
}

/** One worker as the runner sees it: a real worker thread (thread.ts) or an in-process stand-in (tests). */
export interface WorkerPort {
  post(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  /** An uncaught exception ended the worker (an 'exit' follows). */
  onError(listener: (err: Error) => void): void;
  onExit(listener: (code: number) => void): void;
  terminate(): Promise<unknown>;
}
