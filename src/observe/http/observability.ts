// The composition root of the observability side: the metrics registry, the status model, the operator
// overrides and the HTTP(S) server, wired to a director. Two steps, because the overrides must decorate the
// director's pool, targets and mapping before it starts, and the server needs the started director:
//
//   prepareObservability(config, pool, targets)  → settings validated, TLS/users files read (refuses
//                                                   insecure settings before anything touches IPVS),
//                                                   registry built, pool subscriptions made
//   startDirector({ pool, targets, mapping, listeners } from prepared)
//   prepared.start(director, ipvs, config)       → server listening
//   observability.stop()                          → server closed, listeners quiet (twice is fine)

import type { Clock, HealthPoolApi, PoolTarget } from '../../health/types';
import type { IpvsClient } from '../../ipvs/types';
import type { Config } from '../../model/config';
import type { Logger } from '../log/logger';
import type { IpvsMapping } from '../../reconcile/desired';
import type { ReconcileListener } from '../../reconcile/events';
import type { DirectorSnapshot } from '../../reconcile/snapshot';
import { createOperatorOverrides, type OperatorOverrides } from '../actions/overrides';
import type { OverrideFs } from '../actions/override-store';
import { persistedOverrides } from '../actions/persisted-overrides';
import { performAction } from '../actions/perform';
import { recordCheckResult, recordReconcileEvent, recordTransitions } from '../metrics/feed';
import { createKernelStats, type KernelStats, type OwnedService } from '../metrics/kernel-stats';
import { kernelWeights } from '../metrics/kernel-weights';
import { createDaemonMetrics, type DaemonMetrics } from '../metrics/registry';
import type { ResultTapPool } from '../metrics/result-tap';
import { targetLabeler } from '../metrics/target-labels';
import { statusModel, type RecentEvent, type StatusModel } from '../status/model';
import { createRing } from '../status/ring';
import { createGraphFeed } from '../status/graph-feed';
import { ObserveError } from './errors';
import { createAuthLimiter } from './auth-limiter';
import { allowedHosts, createRoutes } from './routes';
import { listen, type RunningServer } from './server';
import { statusSettings, where, type SettingAt, type StatusDirectives, type StatusSettings } from './settings';
import { createVerifier, parseUsers, verifyUser, type RememberingVerify, type UserTable } from './users';
import { statusDirectivesOf } from './directives-of';
import { configMapping } from '../../reconcile/mapping';
import { toServiceKey } from '../../reconcile/to-ipvs';

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

export interface Observability {
  readonly metrics: DaemonMetrics;
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
  start(
    director: DirectorView,
    ipvs: Pick<IpvsClient, 'listServices' | 'listDests'>,
    config: () => Config,
  ): Promise<Observability>;
}

async function readSetting(
  read: (f: string) => Promise<Buffer>,
  d: StatusDirectives,
  name: 'statustlscert' | 'statustlskey' | 'statususers',
): Promise<Buffer> {
  const s = d[name];
  try {
    return await read(s?.value ?? '');
  } catch (e) {
    const code = name === 'statususers' ? 'STATUS_USERS_UNREADABLE' : 'STATUS_TLS_UNREADABLE';
    throw new ObserveError(
      code,
      `${where(s)}${name} ${s?.value ?? ''}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { cause: e },
    );
  }
}

const ownedOf = (c: Config): OwnedService[] => c.virtuals.map((v) => ({ vid: v.id, key: toServiceKey(v) }));

export async function prepareObservability(o: PrepareOptions): Promise<PreparedObservability> {
  const directives = statusDirectivesOf(o.config);
  const settings = statusSettings(directives);
  let tls: { cert: Buffer; key: Buffer } | undefined;
  let users: UserTable | undefined;
  if (settings.enabled) {
    if (settings.tls !== undefined)
      tls = {
        cert: await readSetting(o.readFile, directives, 'statustlscert'),
        key: await readSetting(o.readFile, directives, 'statustlskey'),
      };
    if (settings.usersFile !== undefined) {
      const text = (await readSetting(o.readFile, directives, 'statususers')).toString('utf8');
      users = parseUsers(text, settings.usersFile);
      if (users.size === 0 && !settings.loopback)
        throw new ObserveError(
          'STATUS_INSECURE',
          `${where(directives.statususers)}statususers ${settings.usersFile} lists no user`,
        );
    }
  }
  const overrides =
    o.overridesFile === undefined
      ? createOperatorOverrides()
      : (await persistedOverrides({ file: o.overridesFile, config: o.config, logger: o.logger, fs: o.overridesFs }))
          .overrides;
  const pool = overrides.pool(o.pool);
  const targets = overrides.targets(o.targets);
  const mapping = overrides.mapping(o.mapping ?? configMapping);
  const now = (): number => o.clock.now();

  // Built before the director starts (its first pass is counted); the parts that need the started director
  // read it through `bound` and report nothing until it is there.
  let bound: { director: DirectorView; config: () => Config; kernel: KernelStats } | undefined;
  let stopped = false;
  const config = (): Config => bound?.config() ?? o.config;
  const labels = targetLabeler(config);
  const ring = createRing<RecentEvent>(o.recent ?? 50);
  const graphs = createGraphFeed({ clock: o.clock, ...o.graphs });
  const emptySnapshot = (): DirectorSnapshot => ({ file: o.config.file, state: 'running', virtuals: [] });
  const snapshot = (): DirectorSnapshot => bound?.director.snapshot() ?? emptySnapshot();
  const weights = async (): Promise<ReadonlyMap<string, number>> =>
    bound === undefined ? new Map() : kernelWeights(await bound.kernel.read(), config(), mapping);
  const kernel: KernelStats = {
    read: () => bound?.kernel.read() ?? Promise.resolve({ rows: [], errors: 0 }),
    reads: () => bound?.kernel.reads() ?? 0,
  };
  const metrics = createDaemonMetrics({
    snapshot,
    override: (id) => overrides.get(id),
    kernel,
    kernelWeights: weights,
    onCapped: (n, cap) =>
      o.logger.warn(
        `metrics: ${n} real servers, more than ${cap}: /metrics leaves out the per-real-server series (the per-virtual ones remain)`,
      ),
  });
  metrics.lastReload.set(now() / 1000);
  const verifierOf = (table: UserTable): RememberingVerify => createVerifier((u, p) => verifyUser(table, u, p), now);
  let verify = verifierOf(users ?? new Map());
  // A reload re-reads the users file (passwords can be rotated without a restart); a bad file keeps the old users.
  const rereadUsers = async (): Promise<void> => {
    if (!settings.enabled || settings.usersFile === undefined) return;
    try {
      const next = parseUsers((await o.readFile(settings.usersFile)).toString('utf8'), settings.usersFile);
      if (next.size === 0 && !settings.loopback) throw new Error('it lists no user');
      verify = verifierOf(next);
    } catch (e) {
      o.logger.error(`statususers ${settings.usersFile}: ${(e as Error).message}; keeping the previous users`);
    }
  };
  const values = (d: StatusDirectives): string =>
    JSON.stringify(Object.entries(d).map(([k, v]) => [k, (v as SettingAt).value]));
  const listener: ReconcileListener = (e) => {
    if (stopped) return;
    recordReconcileEvent(metrics, e, now());
    if (e.type !== 'reloaded') return;
    if (values(statusDirectivesOf(config())) !== values(directives))
      o.logger.warn('status server settings changed: they take effect when the daemon restarts');
    void rereadUsers();
  };
  // HealthPoolApi.onTransitions has no unsubscribe: the listeners go quiet after stop.
  o.pool.onTransitions((batch) => {
    if (stopped) return;
    recordTransitions(metrics, batch, labels);
    let at: number | undefined;
    for (const t of batch) {
      graphs.transition(t.id);
      const l = labels(t.id);
      // t.at is the pool's clock (monotonic in the daemon); the page shows wall-clock time, read once per batch.
      if (l !== undefined)
        ring.push({ at: (at ??= now()), kind: t.up ? 'up' : 'down', virtual: l.virtual, real: l.real, text: t.reason });
    }
  });
  pool.onResult?.((id, r) => {
    if (stopped) return;
    recordCheckResult(metrics, id, r, labels);
    graphs.checked(id, r.durationMs);
  });
  const status = async (): Promise<StatusModel> =>
    statusModel(snapshot(), (id) => overrides.get(id), ring.items(), now(), await weights());

  const start = async (
    director: DirectorView,
    ipvs: Pick<IpvsClient, 'listServices' | 'listDests'>,
    current: () => Config,
  ): Promise<Observability> => {
    bound = {
      director,
      config: current,
      kernel: createKernelStats({
        client: ipvs,
        now,
        ttlMs: o.statsTtlMs,
        owned: () => ownedOf(current()),
      }),
    };
    let server: RunningServer | undefined;
    if (settings.enabled) {
      const handler = createRoutes({
        usersConfigured: users !== undefined,
        verify: (c) => verify(c.user, c.password),
        remembered: (c) => verify.remembered(c.user, c.password),
        limiter: createAuthLimiter({ now, ...o.authLimits }),
        hosts: allowedHosts(settings.host),
        status,
        graphs: (selection) => graphs.body(selection),
        metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.scrape() }),
        action: async (req, user) => {
          const outcome = await performAction(req, {
            overrides,
            config,
            pool,
            targets,
            resync: () => director.resync(),
          });
          if (outcome.changed) {
            const l = labels(req.target);
            const text = `${req.override === 'none' ? 'override cleared' : req.override} by ${user || 'operator'}`;
            ring.push({ at: now(), kind: 'operator', virtual: l?.virtual ?? '', real: l?.real ?? req.target, text });
            o.logger.info(
              `operator ${user || '?'}: ${req.target} ${req.override === 'none' ? 'override cleared' : `set to ${req.override}`}`,
            );
          }
          return outcome;
        },
        pollMs: o.pollMs ?? 2000,
        tls: tls !== undefined,
        onError: (m) => o.logger.error(m),
      });
      try {
        server = await listen({
          host: settings.host,
          port: settings.port,
          ...(tls === undefined ? {} : { tls }),
          handler,
        });
        o.logger.info(`status page at ${server.url}`);
        // its own counter reader, never cached: a rate divides by the time between two samples
        const fresh = createKernelStats({ client: ipvs, now, ttlMs: 0, owned: () => ownedOf(current()) });
        graphs.start(
          { snapshot, kernel: () => fresh.read(), config, mapping, override: (id) => overrides.get(id) },
          (e) => o.logger.error(`status graphs: ${(e as Error).message ?? String(e)}`),
        );
      } catch (e) {
        // An address the operator chose is a promise: the daemon does not start without it. The default one may
        // be taken by another instance on this host: the director runs on without a status page.
        if (directives.statusaddress !== undefined) throw e;
        o.logger.warn(
          `status page not started: ${(e as Error).message} (set statusaddress to a free address, or none)`,
        );
      }
    }
    let stopping: Promise<void> | undefined;
    return {
      metrics,
      server,
      status,
      stop: () =>
        (stopping ??= (async () => {
          stopped = true;
          graphs.stop();
          await server?.close();
        })()),
    };
  };
  return { settings, overrides, pool, targets, mapping, listeners: [listener], start };
}
