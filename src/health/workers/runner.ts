// The main thread's side of the check workers: a Check (types.ts) that the pool calls as it calls runCheck,
// which sends network checks to N worker threads and keeps the rest on the main thread (route.ts). The pool
// keeps the schedule, admission, state and deadlines; a worker only runs checks and answers.
// - Timeouts: each check's own timeout runs from when it really starts: on a worker, from when the worker
//   starts it (serve.ts); on this thread, from when the runner does (own-deadline.ts). The pool's deadline is
//   only a backstop (deadlineMs, three timeouts and 10 s): time queued in a message port or a starved worker
//   makes a check late, not failed.
// - Abort: the pool's abort is forwarded and the worker's own answer awaited (the check's own timeout reason,
//   as without workers). A worker that has not answered `abortGraceMs` after an abort is stuck: it is killed
//   and replaced like a dead one.
// - Start: a worker takes checks once it says it is ready (its modules loaded): until then they run on the
//   main thread, so a slow start (seconds on a busy machine) is never mistaken for a hung worker.
// - Death: every check in flight on a worker that exits (an exception escaped a check, it was killed, it ran
//   out of memory) fails once with a reason that says so, and the worker is replaced (route.ts restartDelayMs).
//   While no worker is live, checks run on the main thread. Nothing a worker does reaches the daemon as a throw.
// - Lag: each answer's round trip minus the worker's own time is how long messages queued, in the worker's
//   event loop or the pool's; and a worker with checks running or waiting reports its own loop's delay (a
//   timer probe) or, if longer, how long its oldest waiting check has waited (serve.ts). lagMs() gives the
//   worst since the last call; the pool feeds it to admission beside its own timer's lateness, so a saturated
//   worker makes the pool send fewer checks, which then wait in the pool's queue: late, not failed.
import { hostPort } from '../timeout';
import type { Check, CheckResult, CheckSpec, Clock } from '../types';
import { backstopMs, createOwnDeadlines } from './own-deadline';
import type { Answer, FromWorker, RunOrder, WorkerPort } from './protocol';
import { pickWorker, restartDelayMs, runsInWorker } from './route';

export interface CheckWorkersDeps {
  readonly count: number;
  readonly clock: Clock;
  /** Starts worker `index` (0-based); may throw (counted as a death before any answer). */
  readonly spawn: (index: number) => WorkerPort;
  /** The checks that stay on the main thread, and every check while no worker is live. */
  readonly local: Check;
  /** A worker died or was killed, and when it is replaced (the daemon logs it). */
  readonly onDeath?: (death: WorkerDeath) => void;
  /** How long after an abort a worker may take to answer before it counts as stuck (default ABORT_GRACE_MS). */
  readonly abortGraceMs?: number;
  /** Runs the main thread's expired check deadlines after the current turn's I/O (setImmediate); default at once. */
  readonly defer?: (fn: () => void) => void;
}

export interface WorkerDeath {
  /** 1-based, as in the reasons. */
  readonly worker: number;
  readonly why: string;
  readonly failedChecks: number;
  readonly restartInMs: number;
}

export interface CheckWorkers {
  readonly run: Check;
  /** The pool's deadline for a check this runner runs (HealthPoolDeps.deadlineMs): a backstop, see above. */
  readonly deadlineMs: (spec: CheckSpec) => number;
  /** The worst message queueing delay (ms) seen since the previous call; undefined if no answer came. */
  lagMs(): number | undefined;
  /** Workers ready for checks (tests, metrics). */
  live(): number;
  /** Terminates every worker; checks still in flight fail. Safe to call twice. */
  close(): Promise<void>;
}

export const ABORT_GRACE_MS = 2000;

interface Pending {
  readonly spec: CheckSpec;
  readonly sentAt: number;
  readonly settle: (answer: Answer | string) => void;
}

interface Slot {
  readonly index: number;
  port?: WorkerPort;
  readonly inFlight: Map<number, Pending>;
  run: RunOrder[];
  abort: number[];
  ready: boolean;
  diedUnready: number;
  error?: string;
  restart?: unknown;
}

export function createCheckWorkers(d: CheckWorkersDeps): CheckWorkers {
  const { clock } = d;
  const grace = d.abortGraceMs ?? ABORT_GRACE_MS;
  const slots: Slot[] = Array.from({ length: Math.max(0, d.count) }, (_, index) => ({
    index,
    inFlight: new Map(),
    run: [],
    abort: [],
    ready: false,
    diedUnready: 0,
  }));
  let nextId = 0;
  let closed = false;
  let worstLag: number | undefined;
  const own = createOwnDeadlines({
    now: () => clock.now(),
    setTimer: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimer: (handle) => clock.clearTimeout(handle),
    ...(d.defer !== undefined ? { defer: d.defer } : {}),
  });
  /** A check on this thread, with its own deadline; the pool's abort (backstop, stop) is forwarded. */
  const local = (spec: CheckSpec, signal: AbortSignal): Promise<CheckResult> => {
    const { controller, result } = own.start(d.local, spec);
    const forward = (): void => controller.abort();
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    return result.finally(() => signal.removeEventListener('abort', forward));
  };

  const flush = (slot: Slot): void => {
    if (slot.port === undefined || (slot.run.length === 0 && slot.abort.length === 0)) return;
    const message = { run: slot.run, abort: slot.abort };
    slot.run = [];
    slot.abort = [];
    try {
      slot.port.post(message);
    } catch (err) {
      void retire(slot, slot.port, `could not be sent a check (${err instanceof Error ? err.message : String(err)})`);
    }
  };
  const queue = (slot: Slot, put: () => void): void => {
    if (slot.run.length === 0 && slot.abort.length === 0) queueMicrotask(() => flush(slot));
    put();
  };

  const onAnswers = (slot: Slot, port: WorkerPort, message: FromWorker): void => {
    if (slot.port !== port) return;
    slot.ready = true;
    slot.diedUnready = 0;
    const now = clock.now();
    if (message.lagMs !== undefined) worstLag = Math.max(worstLag ?? 0, message.lagMs);
    for (const a of message.answers) {
      const p = slot.inFlight.get(a.id);
      if (p === undefined) continue;
      slot.inFlight.delete(a.id);
      worstLag = Math.max(worstLag ?? 0, now - p.sentAt - a.workMs);
      p.settle(a);
    }
  };

  /** The worker behind `port` is gone (or must go): fail its checks, replace it. Once per port. */
  function retire(slot: Slot, port: WorkerPort | undefined, why: string): Promise<unknown> {
    if (slot.port !== port) return Promise.resolve();
    slot.port = undefined;
    const wasReady = slot.ready;
    slot.ready = false;
    slot.run = [];
    slot.abort = [];
    const ended = port?.terminate().catch(() => undefined) ?? Promise.resolve();
    const failed = [...slot.inFlight.values()];
    slot.inFlight.clear();
    for (const p of failed) p.settle(`check worker ${slot.index + 1} ${why}`);
    if (closed) return ended;
    if (!wasReady) slot.diedUnready += 1;
    const restartInMs = restartDelayMs(slot.diedUnready);
    try {
      d.onDeath?.({ worker: slot.index + 1, why, failedChecks: failed.length, restartInMs });
    } catch {
      // the daemon's logger: a bug there must not stop the replacement
    }
    if (restartInMs === 0) start(slot);
    else
      slot.restart = clock.setTimeout(() => {
        slot.restart = undefined;
        start(slot);
      }, restartInMs);
    return ended;
  }

  function start(slot: Slot): void {
    if (closed) return;
    slot.ready = false;
    slot.error = undefined;
    let port: WorkerPort;
    try {
      port = d.spawn(slot.index);
    } catch (err) {
      void retire(slot, undefined, `could not start: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    slot.port = port;
    port.onMessage((m) => onAnswers(slot, port, m));
    port.onError((err) => {
      slot.error ??= err.message;
    });
    port.onExit((code) => {
      void retire(slot, port, `exited (code ${code})${slot.error !== undefined ? `: ${slot.error}` : ''}`);
    });
  }

  const viaWorker = (slot: Slot, spec: CheckSpec, signal: AbortSignal): Promise<CheckResult> =>
    new Promise<CheckResult>((resolve, reject) => {
      const id = (nextId += 1);
      let stuck: unknown;
      const onAbort = (): void => {
        queue(slot, () => slot.abort.push(id));
        const port = slot.port;
        stuck = clock.setTimeout(() => {
          if (port !== undefined && slot.inFlight.has(id))
            void retire(slot, port, `did not answer within ${grace} ms of an abort (killed)`);
        }, grace);
      };
      const settle = (a: Answer | string): void => {
        signal.removeEventListener('abort', onAbort);
        if (stuck !== undefined) clock.clearTimeout(stuck);
        if (typeof a === 'string')
          resolve({ ok: false, reason: `check of ${hostPort(spec.address, spec.port)}: ${a}`, durationMs: 0 });
        else if (a.thrown !== undefined) reject(new Error(a.thrown));
        else resolve({ ok: a.ok, reason: a.reason, durationMs: 0 });
      };
      slot.inFlight.set(id, { spec, sentAt: clock.now(), settle });
      queue(slot, () => slot.run.push({ id, spec }));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });

  for (const slot of slots) start(slot);

  return {
    run: (spec, signal) => {
      if (closed || !runsInWorker(spec)) return local(spec, signal);
      const i = pickWorker(slots.map((s) => (s.ready ? s.inFlight.size : undefined)));
      return i < 0 ? local(spec, signal) : viaWorker(slots[i] as Slot, spec, signal);
    },
    deadlineMs: backstopMs,
    lagMs: () => {
      const lag = worstLag;
      worstLag = undefined;
      return lag;
    },
    live: () => slots.filter((s) => s.ready).length,
    close: async () => {
      if (closed) return;
      closed = true;
      const ending: Promise<unknown>[] = [];
      for (const slot of slots) {
        if (slot.restart !== undefined) clock.clearTimeout(slot.restart);
        if (slot.port !== undefined) ending.push(retire(slot, slot.port, 'stopped with the pool'));
      }
      await Promise.all(ending);
    },
  };
}

/** The daemon's log line for a worker's death. */
export function deathLine(d: WorkerDeath): string {
  const failed = d.failedChecks === 1 ? '1 check in flight failed' : `${d.failedChecks} checks in flight failed`;
  const when = d.restartInMs === 0 ? 'replaced at once' : `replaced in ${d.restartInMs / 1000} s`;
  return `check worker ${d.worker} ${d.why}; ${failed}; ${when}`;
}
