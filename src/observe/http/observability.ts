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
//
// Its parts: the types in observability-types.ts, the TLS and users files in status-credentials.ts, the
// operator's POST /api/action in operator-action.ts.

import type { Config } from '../../model/config';
import type { ReconcileListener } from '../../reconcile/events';
import type { DirectorSnapshot } from '../../reconcile/snapshot';
import { createOperatorOverrides } from '../actions/overrides';
import { persistedOverrides } from '../actions/persisted-overrides';
import { recordCheckResult, recordReconcileEvent, recordTransitions } from '../metrics/feed';
import { createKernelStats, type KernelStats, type OwnedService } from '../metrics/kernel-stats';
import { kernelWeights } from '../metrics/kernel-weights';
import { eventCounts } from '../metrics/event-counts';
import type { DaemonMetrics } from '../metrics/registry';
import { targetLabeler } from '../metrics/target-labels';
import { statusModel, type RecentEvent, type StatusModel } from '../status/model';
import { createRing } from '../status/ring';
import { createGraphFeed } from '../status/graph-feed';
import { createAuthLimiter } from './auth-limiter';
import { allowedHosts, createRoutes } from './routes';
import { listen, type RunningServer } from './server';
import { statusSettings, type SettingAt, type StatusDirectives } from './settings';
import { statusDirectivesOf } from './directives-of';
import { configMapping } from '../../reconcile/mapping';
import { toServiceKey } from '../../reconcile/to-ipvs';
import { operatorAction } from './operator-action';
import { readStatusFiles, userGate } from './status-credentials';
import type {
  DirectorView,
  IpvsReader,
  Observability,
  PrepareOptions,
  PreparedObservability,
} from './observability-types';

/** The Prometheus side (registry.ts and prom-client under it), required with the first scrape. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadRegistry = (): typeof import('../metrics/registry') => require('../metrics/registry');

const ownedOf = (c: Config): OwnedService[] => c.virtuals.map((v) => ({ vid: v.id, key: toServiceKey(v) }));

export async function prepareObservability(o: PrepareOptions): Promise<PreparedObservability> {
  const directives = statusDirectivesOf(o.config);
  const settings = statusSettings(directives);
  const { tls, users } = await readStatusFiles(o.readFile, directives, settings);
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
  // The event counts run from the start; the Prometheus registry (and prom-client with it) is built when
  // /metrics is first asked for, so a daemon nobody scrapes does not carry it.
  const events = eventCounts();
  events.lastReload.set(now() / 1000);
  let registry: DaemonMetrics | undefined;
  const metrics = (): DaemonMetrics =>
    (registry ??= loadRegistry().createDaemonMetrics({
      snapshot,
      override: (id) => overrides.get(id),
      kernel,
      kernelWeights: weights,
      events,
      onCapped: (n, cap) =>
        o.logger.warn(
          `metrics: ${n} real servers, more than ${cap}: /metrics leaves out the per-real-server series (the per-virtual ones remain)`,
        ),
    }));
  const gate = userGate({ settings, users, readFile: o.readFile, logger: o.logger, now });
  const values = (d: StatusDirectives): string =>
    JSON.stringify(Object.entries(d).map(([k, v]) => [k, (v as SettingAt).value]));
  const listener: ReconcileListener = (e) => {
    if (stopped) return;
    recordReconcileEvent(events, e, now);
    if (e.type !== 'reloaded') return;
    if (values(statusDirectivesOf(config())) !== values(directives))
      o.logger.warn('status server settings changed: they take effect when the daemon restarts');
    void gate.reread();
  };
  // HealthPoolApi.onTransitions has no unsubscribe: the listeners go quiet after stop.
  o.pool.onTransitions((batch) => {
    if (stopped) return;
    recordTransitions(events, batch, labels);
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
    recordCheckResult(events, id, r, labels);
    graphs.checked(id, r.durationMs);
  });
  const status = async (): Promise<StatusModel> =>
    statusModel(snapshot(), (id) => overrides.get(id), ring.items(), now(), await weights());

  const start = async (director: DirectorView, ipvs: IpvsReader, current: () => Config): Promise<Observability> => {
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
        verify: (c) => gate.verify(c.user, c.password),
        remembered: (c) => gate.remembered(c.user, c.password),
        limiter: createAuthLimiter({ now, ...o.authLimits }),
        hosts: allowedHosts(settings.host),
        status,
        graphs: (selection) => graphs.body(selection),
        metrics: async () => {
          const m = metrics();
          return { contentType: m.registry.contentType, body: await m.scrape() };
        },
        action: operatorAction(
          { overrides, config, pool, targets, resync: () => director.resync() },
          { labels, ring, now, logger: o.logger },
        ),
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
      events,
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
