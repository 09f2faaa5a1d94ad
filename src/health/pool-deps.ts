// What the health pool is given (pool.ts): its clock, its check runner, its bounds and its observers.
import type { AdmissionPolicy } from './admission';
import type { Check, CheckResult, CheckSpec, Clock } from './types';
import type { StepNote } from './state';

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
  /**
   * The pool's deadline for a check, ms; default its timeout (timeout.ts). A runner that enforces each check's
   * timeout itself from when the check really starts (the check workers, workers/own-deadline.ts) gives a
   * longer backstop here, so that time queued before the start is not counted against the server.
   */
  readonly deadlineMs?: (spec: CheckSpec) => number;
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
  /**
   * The check workers' delay (workers/runner.ts lagMs: the worst message queueing since the previous call,
   * undefined without a sample), fed to adaptive admission beside the pool's own timer lateness, so that
   * workers saturated while this thread keeps up still make checks late instead of failed.
   */
  readonly workerLagMs?: () => number | undefined;
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
  /** Soft failures, success steps and counter resets: log lines that are not transitions. */
  readonly onNote?: (id: string, note: StepNote) => void;
}
