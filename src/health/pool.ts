// The health-check pool: keeps every target checked every interval, runs identical checks once (key.ts)
// and fans the result out, enforces each check's timeout with an AbortSignal, feeds results through the pure
// reducer (state.ts) and delivers transitions in batches. It composes its concepts, each in its own file:
// the schedule (schedule.ts: due times, first round, coalescing), admission (admission-gate.ts: how many may
// start), the ready queue (fifo.ts: due checks waiting for a slot), deadlines (deadlines.ts), the targets and
// their check groups (pool-targets.ts, with the diff of target-diff.ts), failures turned into results
// (pool-failure.ts) and the transition batch (transition-batch.ts). Time comes only from the injected clock;
// the pool never reads the wall clock.
import { DEFAULT_ADMISSION, type AdmissionPolicy } from './admission';
import { createAdmissionGate } from './admission-gate';
import { Deadlines, type Deadline } from './deadlines';
import { Fifo } from './fifo';
import { firstRoundWindow, firstRuns, MinHeap, nextDue, WAKEUP_COALESCE_MAX } from './schedule';
import { reduce, type StateEvent, type StepNote } from './state';
import { failure, safely } from './pool-failure';
import { createPoolTargets, type Group } from './pool-targets';
import { timeoutMs } from './timeout';
import { createTransitionBatch } from './transition-batch';
import { combinedPhase, nextConnectsLeft } from './checks/combined';
import { runCheck as defaultRunCheck } from './checks';
import type { CheckResult, CheckSpec, HealthPoolApi, PoolTarget } from './types';
import type { HealthPoolDeps } from './pool-deps';

export type { CheckObservation, HealthPoolDeps } from './pool-deps';

const DEFAULT_CONCURRENCY = 1024;
/** Checks started in one turn of the event loop at most (HealthPoolDeps.burst). */
export const START_BURST = 64;
/** How long a running check counts as CPU work for admission (HealthPoolDeps.busyMs). */
export const BUSY_MS = 1000;

export function createHealthPool(deps: HealthPoolDeps): HealthPoolApi {
  const { clock } = deps;
  const concurrency = Math.max(1, deps.concurrency ?? DEFAULT_CONCURRENCY);
  const policy: AdmissionPolicy = { ...DEFAULT_ADMISSION, ...deps.admission, max: concurrency };
  const gate = createAdmissionGate({
    policy,
    adaptive: deps.adaptive === true || deps.lagMs !== undefined,
    busyMs: Math.max(0, deps.busyMs ?? BUSY_MS),
    now: clock.now(),
    ...(deps.lagMs !== undefined ? { lagMs: deps.lagMs } : {}),
  });
  const runCheck = deps.runCheck ?? defaultRunCheck;
  const coalesceMs = Math.max(0, deps.coalesceMs ?? 0);
  const coalesceMax = Math.max(0, deps.coalesceMax ?? WAKEUP_COALESCE_MAX);
  const burst = Math.max(1, deps.burst ?? START_BURST);
  const book = createPoolTargets();
  const { groups } = book;
  const heap = new MinHeap<Group>();
  const deadlines = new Deadlines();
  const ready = new Fifo<Group>();
  const transitions = createTransitionBatch();
  const timer: { handle?: unknown; at: number; expected: number } = { at: Infinity, expected: 0 };
  let inFlight = 0;
  let started = false;
  let stopped = false;

  const apply = (id: string, event: StateEvent, at: number): void => {
    const entry = book.entries().get(id);
    if (entry === undefined) return;
    const step = reduce(entry.state, event, entry.target);
    entry.state = step.state;
    if (step.note !== undefined) safely(() => deps.onNote?.(id, step.note as StepNote));
    if (step.transition !== undefined)
      transitions.push({ id, up: step.transition.up, reason: step.transition.reason, at });
  };

  // The clock is read once per event (tick, finished check, setTargets, start) and that reading is passed
  // along: in the guest kernel every clock read is a system call. `more`: a burst was cut short (START_BURST),
  // so the timer fires at once to continue it. Its lateness is then the rest of this turn of the event loop,
  // measured from a clock read after the burst: the loop's delay like any other tick's, and the only sample
  // there is while due checks keep every burst full (an overloaded checker; docs/benchmarks.md "Cold start").
  const arm = (now: number, more = false): void => {
    if (stopped || !started) return;
    // A due check waiting only for busy checks to age (admission-gate.ts) wakes the pool when they have.
    const reopens = ready.size > 0 ? gate.reopensAt(inFlight) : Infinity;
    const due = Math.min(heap.peek()?.at ?? Infinity, expiring ? Infinity : deadlines.next(), reopens);
    const at = more ? Math.min(now, due) : due;
    if (at === Infinity || at >= timer.at) return;
    if (timer.handle !== undefined) clock.clearTimeout(timer.handle);
    timer.at = at;
    timer.expected = Math.max(now, at);
    timer.handle = clock.setTimeout(tick, timer.expected - now);
  };

  // A deadline is judged one turn of the event loop after the tick that finds it past. The tick runs in the
  // loop's timers phase, before the loop polls for I/O: on a loaded machine the answers of checks still in time
  // wait in their sockets' buffers while the loop is busy, and aborting them at once turned healthy servers
  // down (docs/compat.md, "A deadline is judged after the answers already received"). The 0 ms timer runs
  // after the next poll, so every answer already received is read first; a check that has none by then is
  // aborted, and the tick's `now` decides which deadlines are past. While one is pending the deadlines are
  // left out of arm(); it re-arms when done.
  let expiring = false;
  const expire = (now: number): void => {
    if (expiring || deadlines.next() > now) return;
    expiring = true;
    clock.setTimeout(() => {
      expiring = false;
      if (stopped) return;
      deadlines.fire(now);
      arm(clock.now());
    }, 0);
  };

  const schedule = (group: Group, at: number): void => {
    group.due = at;
    heap.push(at, group);
  };

  /** A new group's first run, within the first-round window; its second at its own slot (schedule.ts). */
  const scheduleFirst = (group: Group, gk: string, now: number, windowMs: number): void => {
    const { first, second } = firstRuns(gk, now, group.intervalMs, windowMs);
    group.phaseAt = second;
    schedule(group, first);
  };

  /** When a group runs next after a run that ended (or was skipped) at `at`. */
  const following = (group: Group, at: number): number => {
    const phaseAt = group.phaseAt;
    group.phaseAt = undefined;
    return phaseAt !== undefined ? Math.max(phaseAt, at) : nextDue(group.due, group.intervalMs, at);
  };

  const finish = (
    group: Group,
    ran: CheckSpec,
    ids: readonly string[],
    startedAt: number,
    checked: CheckResult,
  ): void => {
    inFlight -= 1;
    group.running = undefined;
    if (!group.alive || stopped) return;
    const endedAt = clock.now();
    // The pool times every check (one clock read instead of two more inside each check).
    const timed: CheckResult = { ok: checked.ok, reason: checked.reason, durationMs: endedAt - startedAt };
    group.connectsLeft = nextConnectsLeft(group.spec, ran, checked.ok, group.connectsLeft);
    for (const id of ids) {
      const entry = book.entries().get(id);
      if (entry === undefined || entry.key !== group.key) continue;
      entry.last = timed;
      apply(id, { kind: 'result', ok: timed.ok, reason: timed.reason }, endedAt);
    }
    safely(() =>
      deps.onCheck?.({ key: group.key, targets: ids.length, due: group.due, startedAt, endedAt, result: timed }),
    );
    schedule(group, following(group, endedAt));
    pump(endedAt);
  };

  const begin = (group: Group, now: number): void => {
    const runIds: string[] = [];
    for (const id of group.ids) {
      const entry = book.entries().get(id);
      if (entry === undefined) continue;
      if (safely(() => deps.inMaintenance?.(entry.target.spec)) === true) {
        entry.last = { ok: false, reason: 'Server in maintenance', durationMs: 0 };
        apply(id, { kind: 'force', up: false, reason: 'Server in maintenance' }, now);
      } else {
        runIds.push(id);
      }
    }
    if (runIds.length === 0) {
      schedule(group, following(group, now));
      return;
    }
    const ran = combinedPhase(group.spec, group.connectsLeft);
    const controller = new AbortController();
    const limit = timeoutMs(ran);
    const deadline: Deadline = { controller, settled: false };
    deadlines.add(now + (deps.deadlineMs?.(ran) ?? limit), deadline);
    const ticket = gate.started(now);
    inFlight += 1;
    const done = Promise.resolve()
      .then(() => runCheck(ran, controller.signal))
      .catch((err: unknown) =>
        failure(ran, `check failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`),
      )
      .then((result) => {
        deadline.settled = true;
        gate.ended(ticket);
        // A check that reports success after its deadline is still a timeout.
        const late = controller.signal.aborted && result.ok;
        finish(group, ran, runIds, now, late ? failure(ran, `timed out after ${limit / 1000} s`) : result);
      })
      .catch(() => undefined); // finish() guards its callbacks; this only keeps a bug from becoming an unhandled rejection
    group.running = { controller, done };
  };

  const pump = (now: number): void => {
    let open = gate.open(now, inFlight);
    let begun = 0;
    while (open && ready.size > 0 && !stopped && begun < burst) {
      const group = ready.shift() as Group;
      if (!group.alive || group.running !== undefined) continue;
      begin(group, now);
      begun += 1;
      open = gate.open(now, inFlight);
    }
    const cut = begun >= burst && open && ready.size > 0;
    arm(cut ? clock.now() : now, cut);
  };

  function tick(): void {
    timer.handle = undefined;
    timer.at = Infinity;
    if (stopped) return;
    const now = clock.now();
    gate.late(now - timer.expected);
    const workerLag = deps.workerLagMs?.();
    if (workerLag !== undefined) gate.late(workerLag);
    expire(now);
    let early = 0;
    for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
      if (top.at > now) {
        if (top.at > now + coalesceMs || early >= coalesceMax) break;
        early += 1;
      }
      heap.pop();
      const group = top.value;
      if (group.alive && group.due === top.at && group.running === undefined) ready.push(group);
    }
    pump(now);
  }

  const setTargets = (next: readonly PoolTarget[]): void => {
    const now = clock.now();
    const { forced, made } = book.apply(next);
    for (const f of forced) apply(f.id, { kind: 'force', up: f.up, reason: f.reason }, now);
    if (started && !stopped) {
      for (const [gk, group] of made) scheduleFirst(group, gk, now, firstRoundWindow(group.intervalMs, made.length));
    }
    arm(now);
  };

  return {
    setTargets,
    isUp: (id) => book.entries().get(id)?.state.up,
    lastResult: (id) => book.entries().get(id)?.last,
    onTransitions: (listener) => transitions.subscribe(listener),
    start: () => {
      if (started || stopped) return;
      started = true;
      const now = clock.now();
      for (const [gk, group] of groups) scheduleFirst(group, gk, now, firstRoundWindow(group.intervalMs, groups.size));
      arm(now);
    },
    stop: async () => {
      stopped = true;
      if (timer.handle !== undefined) clock.clearTimeout(timer.handle);
      timer.handle = undefined;
      heap.clear();
      deadlines.clear();
      ready.clear();
      const running: Promise<void>[] = [];
      for (const group of groups.values()) {
        if (group.running === undefined) continue;
        group.running.controller.abort();
        running.push(group.running.done);
      }
      await Promise.allSettled(running);
    },
  };
}
