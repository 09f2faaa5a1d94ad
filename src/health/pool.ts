// The health-check pool: keeps every target checked every interval, runs identical checks once (key.ts)
// and fans the result out, bounds concurrency, enforces each check's timeout with an AbortSignal, feeds
// results through the pure reducer (state.ts) and delivers transitions in batches. Time comes only from
// the injected clock; the pool never reads the wall clock.
import { DEFAULT_ADMISSION, nextLimit, type AdmissionPolicy } from './admission';
import { checkKey } from './key';
import { firstRoundWindow, firstRuns, MinHeap, nextDue, WAKEUP_COALESCE_MAX } from './schedule';
import { reduce, UNKNOWN, type StateEvent, type TargetState } from './state';
import { timeoutMs } from './timeout';
import { combinedPhase, nextConnectsLeft } from './checks/combined';
import { runCheck as defaultRunCheck } from './checks';
import type { Check, CheckResult, CheckSpec, Clock, HealthPoolApi, PoolTarget, Transition } from './types';

export interface CheckObservation {
  readonly key: string;
  readonly targets: number;
  /** When the check was due, when it started, when it ended (clock ms). */
  readonly due: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly result: CheckResult;
}

export interface HealthPoolDeps {
  readonly clock: Clock;
  /** The check dispatcher; default: checks/index.ts runCheck. */
  readonly runCheck?: Check;
  /** Checks in flight at most (default 1024); due checks beyond it wait in FIFO order. */
  readonly concurrency?: number;
  /**
   * Adapt the in-flight bound to the event loop's delay (admission.ts): an overloaded checker runs late
   * instead of failing healthy servers. The delay is how late the pool's own timer fired, the worst in each
   * `admission.windowMs` of clock time: no extra timer, so an idle director costs no wakeups for it.
   */
  readonly adaptive?: boolean;
  /**
   * Wakeup coalescing: a timer tick also starts checks due within the next `coalesceMs` (at most
   * `coalesceMax` of them ahead of time), so checks spread over the interval share wakeups instead of
   * each paying its own (in the guest kernel, a wakeup and its clock reads cost more than a check's own
   * work). Running a check a few ms early changes nothing else: the next run is still one interval after the
   * due time. Default 0: every check starts at its due time exactly.
   */
  readonly coalesceMs?: number;
  /** At most this many checks start ahead of their due time per tick (default WAKEUP_COALESCE_MAX). */
  readonly coalesceMax?: number;
  /** Another source of the event-loop delay (ms since the previous call) for adaptive admission (tests). */
  readonly lagMs?: () => number;
  readonly admission?: Partial<Omit<AdmissionPolicy, 'max'>>;
  /**
   * At most this many checks start in one turn of the event loop (default START_BURST); the rest start on
   * the next turns, so the loop serves I/O between bursts and a convoy of checks freed at once (blackholed
   * servers timing out together) does not show up as event-loop delay that admission would cut the bound for.
   */
  readonly burst?: number;
  /**
   * A check counts against the adaptive bound only for its first `busyMs` (default BUSY_MS); after that it
   * waits on a server that does not answer, costs no CPU, and counts only against `concurrency`. So blackholed
   * servers cost their timeout, not the checker's throughput.
   */
  readonly busyMs?: number;
  /** Maintenance flag lookup (maintenance.ts); true forces the target down without running its check. */
  readonly inMaintenance?: (spec: CheckSpec) => boolean;
  /** Every finished check (for metrics, monitor files, benchmarks). */
  readonly onCheck?: (observation: CheckObservation) => void;
  /** Soft failures and counter resets: log lines that are not transitions. */
  readonly onNote?: (id: string, note: string) => void;
}

interface TargetEntry {
  readonly target: PoolTarget;
  readonly key: string;
  state: TargetState;
  last?: CheckResult;
}

interface Group {
  readonly key: string;
  readonly spec: CheckSpec;
  readonly intervalMs: number;
  ids: string[];
  due: number;
  /** Set while the first run is pending: when the second run is due (its spread slot, schedule.ts). */
  phaseAt?: number;
  alive: boolean;
  connectsLeft: number;
  running?: { readonly controller: AbortController; readonly done: Promise<void> };
}

/** A running check's deadline; `settled` once the check ended, so the entry is dropped, never fired. */
interface Deadline {
  readonly controller: AbortController;
  settled: boolean;
  readonly startedAt: number;
  /** No longer counted as busy (busyMs passed, or it ended). */
  aged: boolean;
}

const DEFAULT_CONCURRENCY = 1024;
/** Checks started in one turn of the event loop at most (HealthPoolDeps.burst). */
export const START_BURST = 64;
/** How long a running check counts as CPU work for admission (HealthPoolDeps.busyMs). */
export const BUSY_MS = 1000;

/** Observers are the daemon's code; a bug in one must not stop health checking. */
function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function groupKeyOf(key: string, intervalMs: number): string {
  return `${intervalMs}#${key}`;
}

function describe(spec: CheckSpec): string {
  const kind = spec.checktype.kind === 'negotiate' ? `${spec.service} check` : `${spec.checktype.kind} check`;
  return `${kind} of ${spec.address}:${spec.port}`;
}

function failure(spec: CheckSpec, why: string): CheckResult {
  return { ok: false, reason: `${describe(spec)}: ${why}`, durationMs: 0 };
}

export function createHealthPool(deps: HealthPoolDeps): HealthPoolApi {
  const { clock } = deps;
  const concurrency = Math.max(1, deps.concurrency ?? DEFAULT_CONCURRENCY);
  const policy: AdmissionPolicy = { ...DEFAULT_ADMISSION, ...deps.admission, max: concurrency };
  let limit = concurrency;
  let windowStart = clock.now();
  /** The worst lateness of the pool's timer since the last admission window (ms); undefined: no sample. */
  let worstLate: number | undefined;
  const adaptive = deps.adaptive === true || deps.lagMs !== undefined;
  /** The in-flight bound at `now`: fixed, or adapted to the event-loop delay once per window. */
  const admitted = (now: number): number => {
    if (!adaptive) return concurrency;
    if (now - windowStart >= policy.windowMs) {
      windowStart = now;
      // A window in which the timer never fired has no sample (only burst continuations ran): keep the limit.
      const lag = deps.lagMs !== undefined ? safely(deps.lagMs) ?? 0 : worstLate;
      worstLate = undefined;
      if (lag !== undefined) limit = nextLimit(limit, lag, policy);
    }
    return limit;
  };
  const runCheck = deps.runCheck ?? defaultRunCheck;
  const coalesceMs = Math.max(0, deps.coalesceMs ?? 0);
  const burst = Math.max(1, deps.burst ?? START_BURST);
  const busyMs = Math.max(0, deps.busyMs ?? BUSY_MS);
  /** Running checks in start order; young[youngHead..] may still be busy. */
  let young: Deadline[] = [];
  let youngHead = 0;
  let busy = 0;
  const unbusy = (d: Deadline): void => {
    if (d.aged) return;
    d.aged = true;
    busy -= 1;
  };
  const age = (now: number): void => {
    for (let d = young[youngHead]; d !== undefined && (d.aged || d.startedAt + busyMs <= now); d = young[youngHead]) {
      unbusy(d);
      youngHead += 1;
    }
    if (youngHead > 1024 && youngHead * 2 > young.length) {
      young = young.slice(youngHead);
      youngHead = 0;
    }
  };
  const coalesceMax = Math.max(0, deps.coalesceMax ?? WAKEUP_COALESCE_MAX);
  const targets = new Map<string, TargetEntry>();
  const groups = new Map<string, Group>();
  const heap = new MinHeap<Group>();
  /** Deadlines of running checks, on the pool's one timer (a timer per check costs a clock read each). */
  const deadlines = new MinHeap<Deadline>();
  /** Due checks waiting for a free slot, FIFO: ready[readyHead..] (shift() would copy the array each time). */
  let ready: Group[] = [];
  let readyHead = 0;
  const listeners: ((batch: readonly Transition[]) => void)[] = [];
  let pending: Transition[] = [];
  let flushQueued = false;
  let timer: unknown;
  let timerAt = Infinity;
  /** When the armed timer should fire: its lateness beyond this is the event loop's delay. */
  let timerExpected = 0;
  let inFlight = 0;
  /** The armed timer only continues a burst (startBurst): its lateness is not the loop's delay. */
  let continuation = false;
  let started = false;
  let stopped = false;

  const flush = (): void => {
    flushQueued = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    for (const listener of listeners) {
      try {
        listener(batch);
      } catch {
        // A listener's bug must not stop health checking; the daemon's listener logs its own errors.
      }
    }
  };

  const apply = (id: string, event: StateEvent, at: number): void => {
    const entry = targets.get(id);
    if (entry === undefined) return;
    const step = reduce(entry.state, event, entry.target);
    entry.state = step.state;
    if (step.note !== undefined) safely(() => deps.onNote?.(id, step.note as string));
    if (step.transition === undefined) return;
    pending.push({ id, up: step.transition.up, reason: step.transition.reason, at });
    if (!flushQueued) {
      flushQueued = true;
      queueMicrotask(flush);
    }
  };

  // The clock is read once per event (tick, finished check, setTargets, start) and that reading is passed
  // along: in the guest kernel every clock read is a system call.
  const arm = (now: number, more = false): void => {
    if (stopped || !started) return;
    // Deadlines of checks that already ended are dropped here, so they never cost a wakeup.
    for (let d = deadlines.peek(); d !== undefined && d.value.settled; d = deadlines.peek()) deadlines.pop();
    const due = Math.min(heap.peek()?.at ?? Infinity, deadlines.peek()?.at ?? Infinity);
    const at = more ? Math.min(now, due) : due;
    if (at === Infinity || at >= timerAt) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    continuation = more && now < due;
    timerAt = at;
    timerExpected = Math.max(now, at);
    timer = clock.setTimeout(tick, timerExpected - now);
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

  const finish = (group: Group, ran: CheckSpec, ids: readonly string[], startedAt: number, checked: CheckResult): void => {
    inFlight -= 1;
    group.running = undefined;
    if (!group.alive || stopped) return;
    const endedAt = clock.now();
    // The pool times every check (one clock read instead of two more inside each check).
    const timed: CheckResult = { ok: checked.ok, reason: checked.reason, durationMs: endedAt - startedAt };
    group.connectsLeft = nextConnectsLeft(group.spec, ran, checked.ok, group.connectsLeft);
    for (const id of ids) {
      const entry = targets.get(id);
      if (entry === undefined || entry.key !== group.key) continue;
      entry.last = timed;
      apply(id, { kind: 'result', ok: timed.ok, reason: timed.reason }, endedAt);
    }
    safely(() => deps.onCheck?.({ key: group.key, targets: ids.length, due: group.due, startedAt, endedAt, result: timed }));
    schedule(group, following(group, endedAt));
    pump(endedAt);
  };

  const begin = (group: Group, now: number): void => {
    const runIds: string[] = [];
    for (const id of group.ids) {
      const entry = targets.get(id);
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
    const deadline: Deadline = { controller, settled: false, startedAt: now, aged: false };
    deadlines.push(now + limit, deadline);
    young.push(deadline);
    busy += 1;
    inFlight += 1;
    const done = Promise.resolve()
      .then(() => runCheck(ran, controller.signal))
      .catch((err: unknown) => failure(ran, `check failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`))
      .then((result) => {
        deadline.settled = true;
        unbusy(deadline);
        // A check that reports success after its deadline is still a timeout.
        const late = controller.signal.aborted && result.ok;
        finish(group, ran, runIds, now, late ? failure(ran, `timed out after ${limit / 1000} s`) : result);
      })
      .catch(() => undefined); // finish() guards its callbacks; this only keeps a bug from becoming an unhandled rejection
    group.running = { controller, done };
  };

  const pump = (now: number): void => {
    const cap = admitted(now);
    age(now);
    let begun = 0;
    while (inFlight < concurrency && busy < cap && readyHead < ready.length && !stopped && begun < burst) {
      const group = ready[readyHead] as Group;
      readyHead += 1;
      if (group.alive && group.running === undefined) {
        begin(group, now);
        begun += 1;
      }
    }
    const more = begun >= burst && inFlight < concurrency && busy < cap && readyHead < ready.length;
    if (readyHead > 0 && readyHead === ready.length) {
      ready = [];
      readyHead = 0;
    } else if (readyHead > 1024 && readyHead * 2 > ready.length) {
      ready = ready.slice(readyHead);
      readyHead = 0;
    }
    arm(now, more);
  };

  function tick(): void {
    timer = undefined;
    timerAt = Infinity;
    if (stopped) return;
    const now = clock.now();
    if (!continuation) worstLate = Math.max(worstLate ?? 0, now - timerExpected);
    continuation = false;
    // Deadlines first: a check past its deadline is aborted before new checks take the slots.
    for (let d = deadlines.peek(); d !== undefined && d.at <= now; d = deadlines.peek()) {
      deadlines.pop();
      if (!d.value.settled) d.value.controller.abort();
    }
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
    const old = new Map(targets);
    targets.clear();
    const wanted = new Map<string, { spec: CheckSpec; key: string; intervalMs: number; ids: string[] }>();
    for (const target of next) {
      const key = checkKey(target.spec);
      const prev = old.get(target.id);
      const same = prev !== undefined && prev.key === key && prev.target.failurecount === target.failurecount
        && prev.target.successcount === target.successcount && prev.target.forced === target.forced;
      targets.set(target.id, { target, key, state: same ? prev.state : UNKNOWN, last: same ? prev.last : undefined });
      if (target.forced !== undefined) {
        const up = target.forced === 'up';
        apply(target.id, { kind: 'force', up, reason: `forced ${target.forced} (${target.spec.checktype.kind})` }, now);
        continue;
      }
      const gk = groupKeyOf(key, target.intervalMs);
      const slot = wanted.get(gk) ?? { spec: target.spec, key, intervalMs: target.intervalMs, ids: [] };
      slot.ids.push(target.id);
      wanted.set(gk, slot);
    }
    for (const [gk, group] of groups) {
      if (wanted.has(gk)) continue;
      group.alive = false;
      group.running?.controller.abort();
      groups.delete(gk);
    }
    const fresh: [string, Group][] = [];
    for (const [gk, slot] of wanted) {
      const existing = groups.get(gk);
      if (existing !== undefined) {
        existing.ids = slot.ids;
        continue;
      }
      const group: Group = { key: slot.key, spec: slot.spec, intervalMs: slot.intervalMs, ids: slot.ids, due: 0, alive: true, connectsLeft: 0 };
      groups.set(gk, group);
      fresh.push([gk, group]);
    }
    if (started && !stopped) {
      for (const [gk, group] of fresh) scheduleFirst(group, gk, now, firstRoundWindow(group.intervalMs, fresh.length));
    }
    arm(now);
  };

  return {
    setTargets,
    isUp: (id) => targets.get(id)?.state.up,
    lastResult: (id) => targets.get(id)?.last,
    onTransitions: (listener) => { listeners.push(listener); },
    start: () => {
      if (started || stopped) return;
      started = true;
      const now = clock.now();
      for (const [gk, group] of groups) scheduleFirst(group, gk, now, firstRoundWindow(group.intervalMs, groups.size));
      arm(now);
    },
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      heap.clear();
      deadlines.clear();
      young = [];
      youngHead = 0;
      ready = [];
      readyHead = 0;
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
