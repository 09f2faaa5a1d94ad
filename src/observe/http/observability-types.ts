// What the observability side is given and what it hands back (observability.ts builds it): the options of
// prepareObservability, the view of a started director it reads, and the two stages it returns.

import type { Clock, HealthPoolApi, PoolTarget } from '../../health/types';
import type { IpvsClient } from '../../ipvs/types';
import type { Config } from '../../model/config';
import type { Logger } from '../log/logger';
import type { IpvsMapping } from '../../reconcile/desired';
import type { ReconcileListener } from '../../reconcile/events';
import type { DirectorSnapshot } from '../../reconcile/snapshot';
import type { OperatorOverrides } from '../actions/overrides';
import type { OverrideFs } from '../actions/override-store';
import type { EventCounts } from '../metrics/event-counts';
import type { ResultTapPool } from '../metrics/result-tap';
import type { StatusModel } from '../status/model';
import type { RunningServer } from './server';
import type { StatusSettings } from './settings';

export interface PrepareOptions {
  readonly config: Config;
  readonly pool: HealthPoolApi;
  readonly targets: (c: Config) => readonly PoolTarget[];
  readonly mapping?: IpvsMapping;
  readonly logger: Logger;
  /** Wall clock: times on the page, and the graphs' sampling timer. */
  readonly clock: Clock;
  /** Reads statustlscert, statustlskey and statususers (the composition root gives the real filesystem). */
  readonly readFile: (file: string) => Promise<Buffer>;
  /** Ring size of recent transitions on the page (default 50). */
  readonly recent?: number;
  /** Page refresh period (default 2000 ms). */
  readonly pollMs?: number;
  /** Failed logins allowed per client address at once, and the refill period (default AUTH_LIMITS). */
  readonly authLimits?: { readonly burst?: number; readonly refillMs?: number };
  /** The graphs' sampling interval and window (default GRAPH_DEFAULTS: 5 s over 10 min). */
  readonly graphs?: { readonly intervalMs?: number; readonly windowMs?: number };
  /** Kernel counter cache (default 2000 ms). */
  readonly statsTtlMs?: number;
  /** Where operator overrides are kept across restarts (absent: only in memory). */
  readonly overridesFile?: string;
  readonly overridesFs: OverrideFs;
}

/** What the observability side needs from a started director (src/daemon/director.ts's Director). */
export interface DirectorView {
  snapshot(): DirectorSnapshot;
  subscribe(listener: ReconcileListener): () => void;
  resync(): Promise<unknown>;
}

/** The IPVS reads behind the kernel counters and weights. */
export type IpvsReader = Pick<IpvsClient, 'listServices' | 'listDests'>;

export interface Observability {
  /** The counts behind the event-driven metrics (the registry is built from them on the first scrape). */
  readonly events: EventCounts;
  /** undefined when statusaddress is none. */
  readonly server: RunningServer | undefined;
  status(): Promise<StatusModel>;
  stop(): Promise<void>;
}

export interface PreparedObservability {
  readonly settings: StatusSettings;
  readonly overrides: OperatorOverrides;
  readonly pool: ResultTapPool;
  readonly targets: (c: Config) => readonly PoolTarget[];
  readonly mapping: IpvsMapping;
  /** Give these to startDirector (DirectorDeps.listeners): the metrics see the first pass too. */
  readonly listeners: readonly ReconcileListener[];
  start(director: DirectorView, ipvs: IpvsReader, config: () => Config): Promise<Observability>;
}
