// The worker's side of the check workers: says it is ready (an empty answer batch, once its modules are
// loaded), runs the checks it is sent with its own AbortController each, and answers in batches (protocol.ts). Built by worker-main.ts on the worker thread's parent port, and by tests
// on an in-process port. A check never throws at the worker: a rejection is answered as `thrown`.
import type { Check } from '../types';
import type { Answer, FromWorker, ToWorker } from './protocol';

export interface ServeDeps {
  readonly onMessage: (listener: (message: ToWorker) => void) => void;
  readonly post: (message: FromWorker) => void;
  readonly run: Check;
  /** This thread's clock, ms (only differences are used). */
  readonly now: () => number;
  /** Runs `fn` once the current turn's I/O is handled (setImmediate): answers of one turn go in one message. */
  readonly defer: (fn: () => void) => void;
}

export function serveChecks(d: ServeDeps): void {
  const running = new Map<number, AbortController>();
  let outbox: Answer[] = [];
  const flush = (): void => {
    const answers = outbox;
    outbox = [];
    d.post({ answers });
  };
  const answer = (a: Answer): void => {
    running.delete(a.id);
    if (outbox.push(a) === 1) d.defer(flush);
  };
  d.onMessage((message) => {
    const receivedAt = d.now();
    for (const { id, spec } of message.run) {
      const controller = new AbortController();
      running.set(id, controller);
      Promise.resolve()
        .then(() => d.run(spec, controller.signal))
        .then(
          (r) => answer({ id, ok: r.ok, reason: r.reason, workMs: d.now() - receivedAt }),
          (err: unknown) =>
            answer({
              id,
              ok: false,
              reason: '',
              thrown: err instanceof Error ? err.message : String(err),
              workMs: d.now() - receivedAt,
            }),
        );
    }
    for (const id of message.abort) running.get(id)?.abort();
  });
  d.post({ answers: [] });
}
