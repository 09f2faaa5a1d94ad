// The worker's side of the check workers: says it is ready (an empty answer batch, once its modules are
// loaded), runs the checks it is sent with its own AbortController each, and answers in batches (protocol.ts).
// Each check's timeout runs from when this worker starts it (own-deadline.ts), not from when the pool sent it.
// Built by worker-main.ts on the worker thread's parent port, and by tests on an in-process port. A check
// never throws at the worker: a rejection is answered as `thrown`.
import type { Check } from '../types';
import { createOwnDeadlines } from './own-deadline';
import type { Answer, FromWorker, ToWorker } from './protocol';

export interface ServeDeps {
  readonly onMessage: (listener: (message: ToWorker) => void) => void;
  readonly post: (message: FromWorker) => void;
  readonly run: Check;
  /** This thread's clock, ms (only differences are used). */
  readonly now: () => number;
  /** Runs `fn` once the current turn's I/O is handled (setImmediate): answers of one turn go in one message. */
  readonly defer: (fn: () => void) => void;
  /** Runs `fn` after `ms` (setTimeout): the checks' own deadlines and the event-loop delay probe. */
  readonly setTimer: (fn: () => void, ms: number) => unknown;
  readonly clearTimer: (handle: unknown) => void;
  /** Probe the event loop's delay while checks run (default true). */
  readonly lagProbe?: boolean;
}

/** While checks run, the worker measures its event loop's delay with a timer this often. */
export const LAG_PROBE_MS = 50;
/** A probe this late is reported at once, not only with the next answers (admission.ts lowLagMs). */
export const LAG_REPORT_MS = 25;

export function serveChecks(d: ServeDeps): void {
  const running = new Map<number, AbortController>();
  let outbox: Answer[] = [];
  let worstLag: number | undefined;
  let probing = false;
  const deadlines = createOwnDeadlines({ now: d.now, setTimer: d.setTimer, clearTimer: d.clearTimer, defer: d.defer });
  const flush = (): void => {
    const answers = outbox;
    outbox = [];
    d.post(worstLag === undefined ? { answers } : { answers, lagMs: worstLag });
    worstLag = undefined;
  };
  // A saturated worker shows as a late timer here long before its late answers reach the pool: the pool's
  // admission needs the signal while the checks are still running (docs/benchmarks.md, checks on every core).
  const probe = (): void => {
    if (probing || d.lagProbe === false || running.size === 0) return;
    probing = true;
    const expected = d.now() + LAG_PROBE_MS;
    d.setTimer(() => {
      probing = false;
      const late = Math.max(0, d.now() - expected);
      worstLag = Math.max(worstLag ?? 0, late);
      if (late >= LAG_REPORT_MS && outbox.length === 0) flush();
      probe();
    }, LAG_PROBE_MS);
  };
  const answer = (a: Answer): void => {
    running.delete(a.id);
    if (outbox.push(a) === 1) d.defer(flush);
  };
  d.onMessage((message) => {
    const receivedAt = d.now();
    for (const { id, spec } of message.run) {
      const { controller, result } = deadlines.start(d.run, spec);
      running.set(id, controller);
      result.then(
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
    probe();
  });
  d.post({ answers: [] });
}
