// The worker's side of the check workers: says it is ready (an empty answer batch, once its modules are
// loaded), runs the checks it is sent with its own AbortController each, and answers in batches (protocol.ts).
// Built by worker-main.ts on the worker thread's parent port, and by tests on an in-process port. A check
// never throws at the worker: a rejection is answered as `thrown`.
// - Its own admission: it starts at most as many busy checks as its own event loop keeps up with (the pool's
//   rule, admission-gate.ts, fed by this worker's delay probe); the rest wait their turn here, in order.
// - Each check's timeout runs from when this worker starts it (own-deadline.ts), not from when the pool sent
//   it: time waiting in the port or in the queue is lateness, not a timeout (docs/benchmarks.md, checks on
//   every core).
import type { AdmissionPolicy } from '../admission';
import { createAdmissionGate } from '../admission-gate';
import { Fifo } from '../fifo';
import { failure } from '../pool-failure';
import type { Check, CheckSpec } from '../types';
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
  /** Probe the event loop's delay while checks run, and adapt admission to it (default true). */
  readonly lagProbe?: boolean;
}

/** While checks run, the worker measures its event loop's delay with a timer this often. */
export const LAG_PROBE_MS = 50;
/** A probe this late is reported at once, not only with the next answers (admission.ts lowLagMs). */
export const LAG_REPORT_MS = 25;

/**
 * A worker's own admission (admission.ts): busy checks at most 256 (a thread does about 7,000 plain HTTP
 * checks a second at about 140 µs each, so more at once only queue for its CPU), halved while its probe runs
 * more than one probe period late. The pool's threshold (100 ms) would never trip on a thread starved by a CFS
 * quota of 100 ms periods: its timers run at most one period late.
 */
export const WORKER_ADMISSION: AdmissionPolicy = {
  max: 256,
  floor: 16,
  highLagMs: LAG_PROBE_MS,
  lowLagMs: LAG_REPORT_MS,
  step: 16,
  windowMs: 250,
};
/** A started check counts as busy (CPU) for this long at most (the pool's BUSY_MS). */
const WORKER_BUSY_MS = 1000;

interface Order {
  readonly id: number;
  readonly spec: CheckSpec;
  readonly receivedAt: number;
  cancelled: boolean;
}

export function serveChecks(d: ServeDeps): void {
  const running = new Map<number, AbortController>();
  const waiting = new Fifo<Order>();
  const queued = new Map<number, Order>();
  let outbox: Answer[] = [];
  let worstLag: number | undefined;
  let probing = false;
  const adaptive = d.lagProbe !== false;
  const deadlines = createOwnDeadlines({ now: d.now, setTimer: d.setTimer, clearTimer: d.clearTimer, defer: d.defer });
  const gate = createAdmissionGate({ policy: WORKER_ADMISSION, adaptive, busyMs: WORKER_BUSY_MS, now: d.now() });

  const startWaiting = (): void => {
    if (waiting.size === 0) return;
    const now = d.now();
    while (waiting.size > 0 && gate.open(now, running.size)) {
      const order = waiting.shift() as Order;
      if (order.cancelled) continue;
      queued.delete(order.id);
      start(order, now);
    }
  };
  const flush = (): void => {
    const answers = outbox;
    outbox = [];
    d.post(worstLag === undefined ? { answers } : { answers, lagMs: worstLag });
    worstLag = undefined;
    startWaiting(); // the slots those checks held
  };
  /** How long the oldest check still waiting for a slot has waited, ms (0: none waits). */
  const backlogMs = (now: number): number => {
    for (let o = waiting.peek(); o !== undefined; o = waiting.peek()) {
      if (!o.cancelled) return now - o.receivedAt;
      waiting.shift();
    }
    return 0;
  };
  // A saturated worker shows as a late timer here, and as checks waiting for a slot, long before its late
  // answers reach the pool: the pool's admission needs the signal while the checks are still running, so that
  // it sends fewer and its own queue, not this one, holds the due checks (docs/benchmarks.md, checks on every
  // core). Both count as this worker's delay.
  const probe = (): void => {
    if (probing || !adaptive || (running.size === 0 && waiting.size === 0)) return;
    probing = true;
    const expected = d.now() + LAG_PROBE_MS;
    d.setTimer(() => {
      probing = false;
      const now = d.now();
      const late = Math.max(0, now - expected);
      gate.late(late);
      const delay = Math.max(late, backlogMs(now));
      worstLag = Math.max(worstLag ?? 0, delay);
      if (delay >= LAG_REPORT_MS && outbox.length === 0) flush();
      else startWaiting(); // a new window, or busy checks aged
      probe();
    }, LAG_PROBE_MS);
  };
  const answer = (a: Answer): void => {
    if (outbox.push(a) === 1) d.defer(flush);
  };
  function start(order: Order, now: number): void {
    const { id, spec, receivedAt } = order;
    const ticket = gate.started(now);
    const { controller, result } = deadlines.start(d.run, spec);
    running.set(id, controller);
    const ended = (): number => {
      running.delete(id);
      gate.ended(ticket);
      return d.now() - receivedAt;
    };
    result.then(
      (r) => answer({ id, ok: r.ok, reason: r.reason, workMs: ended() }),
      (err: unknown) =>
        answer({
          id,
          ok: false,
          reason: '',
          thrown: err instanceof Error ? err.message : String(err),
          workMs: ended(),
        }),
    );
  }
  d.onMessage((message) => {
    const receivedAt = d.now();
    for (const { id, spec } of message.run) {
      const order: Order = { id, spec, receivedAt, cancelled: false };
      queued.set(id, order);
      waiting.push(order);
    }
    for (const id of message.abort) {
      running.get(id)?.abort();
      const order = queued.get(id);
      if (order === undefined) continue;
      // The pool gave up (its backstop, or stop()) before this worker could start the check.
      order.cancelled = true;
      queued.delete(id);
      const { reason } = failure(order.spec, 'aborted before its check worker could start it');
      answer({ id, ok: false, reason, workMs: d.now() - order.receivedAt });
    }
    startWaiting();
    probe();
  });
  d.post({ answers: [] });
}
