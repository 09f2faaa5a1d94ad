// The contract between the health-check pool and the individual checks. A check *measures*: it never throws
// for an expected failure (refused, timeout, wrong answer); it resolves a CheckResult whose reason a human
// can read ("HTTP GET http://10.0.0.5:80/health: 503 Service Unavailable"). One pure reducer (state.ts)
// decides what the results mean.

import type { CheckType, Family, Protocol, ServiceName } from '../model/config';

/** Everything one check of one real server needs; derived from the config (see spec.ts). */
export interface CheckSpec {
  readonly checktype: CheckType;
  readonly service: ServiceName;
  /** The virtual service's protocol: decides UDP vs TCP for dns, sip, simpletcp and connect. */
  readonly protocol: Protocol;
  readonly family: Family;
  /** Real server address (no brackets) and the port to check (checkport → real port → service default). */
  readonly address: string;
  readonly port: number;
  /** The real server's own port as configured (0 for fwmark), and the virtual's address/port or mark: */
  readonly realPort: number;
  readonly virtualAddress?: string;
  readonly virtualPort: number;
  readonly fwmark?: number;

  readonly request: string;
  readonly receive: string;
  readonly httpmethod: 'GET' | 'HEAD';
  readonly virtualhost?: string;
  readonly login: string;
  readonly passwd: string;
  readonly database: string;
  readonly secret: string;
  readonly checkcommand: string;
  /** Seconds. */
  readonly checktimeout: number;
  readonly negotiatetimeout: number;
  /** ICMP attempts for ping checks. */
  readonly checkcount: number;
  /** Verify TLS certificate chains for https/imaps/pops/ldaps (documented default: see docs/compat.md). */
  readonly tlsVerify: boolean;
}

export interface CheckResult {
  readonly ok: boolean;
  /** Human-readable, with context: what was tried against what, and what came back. */
  readonly reason: string;
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
