// The contract between the health-check pool and the individual checks. A check *measures*: it never throws
// for an expected failure (refused, timeout, wrong answer); it resolves a CheckResult whose reason a human
// can read ("HTTP GET http://10.0.0.5:80/health: 503 Service Unavailable"). One pure reducer (state.ts)
// decides what the results mean.

import type { VirtualService } from '../model/config';

/** The negotiation's own settings, as the virtual service has them (docs/config.md). */
type NegotiationSettings = Pick<
  VirtualService,
  | 'checktype'
  | 'service'
  | 'protocol'
  | 'family'
  | 'request'
  | 'receive'
  | 'httpmethod'
  | 'virtualhost'
  | 'login'
  | 'passwd'
  | 'database'
  | 'secret'
  | 'checkcommand'
  | 'checktimeout'
  | 'negotiatetimeout'
  | 'checkcount'
>;

/** Everything one check of one real server needs; derived from the config (see spec.ts). Protocol decides UDP
 * vs TCP for dns, sip, simpletcp and connect; timeouts are seconds; checkcount is the ICMP attempts of ping. */
export interface CheckSpec extends NegotiationSettings {
  /** Real server address (no brackets) and the port to check (checkport → real port → service default). */
  readonly address: string;
  readonly port: number;
  /** The real server's own port as configured (0 for fwmark), and the virtual's address/port or mark: */
  readonly realPort: number;
  readonly virtualAddress?: string;
  readonly virtualPort: number;
  readonly fwmark?: number;
  /** Verify TLS certificate chains for https/imaps/pops/ldaps (documented default: see docs/compat.md). */
  readonly tlsVerify: boolean;
  /** Extra trusted CA certificates (PEM) for tlsVerify, on top of the system store; tests use it. */
  readonly tlsCa?: string;
}

export interface CheckResult {
  readonly ok: boolean;
  /** Human-readable, with context: what was tried against what, and what came back. */
  readonly reason: string;
  /** How long the check took. Checks leave it 0: the pool times every check and fills it in (pool.ts). */
  readonly durationMs: number;
}

/**
 * One check implementation. It must settle by the time `signal` aborts (the pool aborts at the timeout),
 * and leave no socket, timer or child process behind.
 */
export type Check = (spec: CheckSpec, signal: AbortSignal) => Promise<CheckResult>;

/** Injected time source: the pool and the reducer never read the wall clock directly. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** One (virtual service, real server) pair the pool keeps checking. */
export interface PoolTarget {
  /** Unique per virtual × real, e.g. `tcp:10.0.0.1:80|10.0.0.5:80`. */
  readonly id: string;
  readonly spec: CheckSpec;
  readonly intervalMs: number;
  /** Consecutive failures before down (ldirectord's failurecount). */
  readonly failurecount: number;
  /** Consecutive successes before a down server returns (new; 1 = ldirectord). */
  readonly successcount: number;
  /** Forced state without running a check (maintenance flag file, checktype on/off). */
  readonly forced?: 'up' | 'down';
}

export interface Transition {
  readonly id: string;
  readonly up: boolean;
  readonly reason: string;
  /** Time (ms) of the result that caused it, on the pool's clock (monotonic in the daemon: not a date). */
  readonly at: number;
}

/** What the daemon needs from the health-check pool (implemented in src/health/pool.ts). */
export interface HealthPoolApi {
  /** Replace the target set. Targets whose check key and thresholds are unchanged keep their state. */
  setTargets(targets: readonly PoolTarget[]): void;
  /** Known state: undefined until the first result decides. */
  isUp(id: string): boolean | undefined;
  lastResult(id: string): CheckResult | undefined;
  /** Transitions are delivered in batches (one call per scheduling tick that produced any). */
  onTransitions(listener: (batch: readonly Transition[]) => void): void;
  start(): void;
  /** Aborts running checks and waits for them to settle. Safe to call twice. */
  stop(): Promise<void>;
}
