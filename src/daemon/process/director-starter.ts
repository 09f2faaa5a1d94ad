// Turning a loaded config into a running director (src/daemon/director.ts), from the parts the composition
// root (process/system.ts) builds:
//   IPVS client   in-memory for --dry-run, netlink otherwise; opened first, so a kernel without IPVS fails
//                 with IPVS_UNAVAILABLE before anything else starts
//   health pool   createHealthPool, its per-check observations fanned out per target (result-tap.ts), its
//                 network checks on the check worker threads when there are any (health/workers)
//   observability metrics, status page, operator overrides (src/observe/http/observability.ts)
//   director      startDirector with the observability listeners and the alert adapter subscribed before the
//                 first pass, so the start's own changes are mailed and counted
// Teardown runs in reverse; a failure half-way closes what was opened.

import { createMaintenance, type Maintenance } from '../../health/maintenance';
import { createHealthPool } from '../../health/pool';
import { WAKEUP_COALESCE_MAX, WAKEUP_COALESCE_MS } from '../../health/schedule';
import { targetId } from '../../health/spec';
import type { Clock, PoolTarget } from '../../health/types';
import type { IpvsClient } from '../../ipvs/types';
import type { Config, RealServer as Real, VirtualService as Virtual } from '../../model/config';
import { prepareObservability } from '../../observe/http/observability';
import { healthNoteLine } from '../../observe/log/health-notes';
import type { ReconcileListener } from '../../reconcile/events';
import type { Spawner } from '../../reconcile/fallback-command';
import type { CheckResultEvent } from '../alerts/events';
import { startDirector, TRANSITION_SPACING_MS } from '../director';
import { serverChangeOf, virtualIndexer } from './director-events';
import type { DirectorStarter, DirectorControl } from './collaborators';
import { createResultTap } from './result-tap';
import type { CheckResult } from '../../health/types';
import { deathLine, type CheckWorkers, type WorkerDeath } from '../../health/workers/runner';
import type { OverrideFs } from '../../observe/actions/override-store';
import type { FeedServer, FeedServerOptions } from '../../announce/server';
import { createAnnouncer } from './announcer';
import type { Director } from '../director';

export interface HostParts {
  ipvs(dryRun: boolean): Promise<IpvsClient>;
  targets(config: Config): readonly PoolTarget[];
  /** Wall-clock time: logs, mails, the status page, metrics' timestamps. */
  readonly clock: Clock;
  /** The health pool's schedule (default: clock). Monotonic in the daemon: a wall-clock step (NTP, a
   * VM resumed) must neither starve the checks nor run them all at once. */
  readonly poolClock?: Clock;
  /** The check worker threads for `checkworkers`, or undefined for none (process/system.ts). */
  readonly checkWorkers?: (
    configured: number | undefined,
    onDeath: (d: WorkerDeath) => void,
  ) => CheckWorkers | undefined;
  /** Runs fallbackcommand (bounded in time: process/system.ts). */
  readonly spawn: Spawner;
  /** Reads the status page's TLS and users files. */
  readonly readFile: (file: string) => Promise<Buffer>;
  /** Where the operator overrides file is read and written. */
  readonly overridesFs: OverrideFs;
  /** Opens the BGP speaker's feed (src/announce/server.ts); without it nothing is announced. */
  readonly openFeed?: (o: FeedServerOptions) => Promise<FeedServer>;
  /** Called once the director has started: the start-up pass has programmed the table, the checks run, the
   * routes are announced and the status page serves. */
  readonly started?: () => void;
}

type TargetIndex = (config: Config) => ReadonlyMap<string, { virtual: Virtual; real: Real }>;

/** Pool target id → its virtual service and real server, built once per config object (every check result
 * is looked up here: a scan of the reals per result would make a round cost O(reals²)). */
export function targetIndexer(): TargetIndex {
  const targetsByConfig = new WeakMap<Config, ReadonlyMap<string, { virtual: Virtual; real: Real }>>();
  return (config) => {
    const index = targetsByConfig.get(config);
    if (index !== undefined) return index;
    const built = new Map<string, { virtual: Virtual; real: Real }>();
    for (const virtual of config.virtuals) {
      for (const real of virtual.reals) {
        const id = targetId(virtual, real);
        if (!built.has(id)) built.set(id, { virtual, real });
      }
    }
    targetsByConfig.set(config, built);
    return built;
  };
}

/** The check result of pool target `id` as a monitor-file event, if the id names a configured real. */
export function checkEventOf(
  id: string,
  result: CheckResult,
  config: Config,
  index: TargetIndex,
): CheckResultEvent | undefined {
  const t = index(config).get(id);
  return t === undefined ? undefined : { virtuals: [t.virtual], real: t.real, ok: result.ok, reason: result.reason };
}

export function directorStarter(parts: HostParts): DirectorStarter {
  const index = targetIndexer();
  const virtualsOf = virtualIndexer();
  return async ({ config, dryRun, logger, events, overridesFile }) => {
    const ipvs = await parts.ipvs(dryRun);
    const undo: Array<() => Promise<unknown> | unknown> = [() => ipvs.close()];
    const unwind = async (): Promise<void> => {
      for (const f of undo.splice(0).reverse())
        await Promise.resolve()
          .then(f)
          .catch(() => undefined);
    };
    try {
      let current = config;
      // During a reload pass the ops concern the new config (added virtuals) or the old one (removed ones).
      let previous = config;
      const tap = createResultTap();
      let maintenance: { dir: string; m: Maintenance } | undefined;
      const useMaintenance = async (c: Config): Promise<void> => {
        const dir = c.global.maintenancedir;
        if (dir === undefined || dir === '') {
          maintenance = undefined;
          return;
        }
        const m =
          maintenance?.dir === dir
            ? maintenance.m
            : createMaintenance({ dir, clock: parts.clock, onError: (msg) => logger.warn(msg) });
        await m.resolveNames(c.virtuals.flatMap((v) => v.reals.map((r) => r.address)));
        maintenance = { dir, m };
      };
      await useMaintenance(config);
      // Closed after the director (and its pool) has stopped: undo runs in reverse.
      const workers = parts.checkWorkers?.(config.global.checkworkers, (d) => logger.warn(deathLine(d)));
      if (workers !== undefined) undo.push(() => workers.close());
      const pool = tap.wrap(
        createHealthPool({
          clock: parts.poolClock ?? parts.clock,
          adaptive: true,
          coalesceMs: WAKEUP_COALESCE_MS,
          coalesceMax: WAKEUP_COALESCE_MAX,
          onCheck: (o) => tap.onCheck(o),
          onNote: (id, note) => logger.info(healthNoteLine(note, index(current).get(id), id)),
          inMaintenance: (spec) => maintenance?.m.inMaintenance(spec) ?? false,
          ...(workers !== undefined
            ? { runCheck: workers.run, workerLagMs: workers.lagMs, deadlineMs: workers.deadlineMs }
            : {}),
        }),
      );
      pool.onResult((id, r) => {
        const e = checkEventOf(id, r, current, index);
        if (e !== undefined) events.emitCheckResult(e);
      });
      const prepared = await prepareObservability({
        config,
        pool,
        targets: (c) => parts.targets(c),
        logger,
        clock: parts.clock,
        readFile: parts.readFile,
        overridesFs: parts.overridesFs,
        ...(overridesFile !== undefined ? { overridesFile } : {}),
      });
      const alerts: ReconcileListener = (e) => {
        if (e.type !== 'op-applied') return;
        const phase = e.phase === 'stop' ? 'stop' : 'start';
        const change =
          serverChangeOf(e.op, phase, virtualsOf(current)) ?? serverChangeOf(e.op, phase, virtualsOf(previous));
        if (change !== undefined) events.emitServerChange(change);
      };
      // BGP announcement (process/announcer.ts): plans after every pass once the director exists.
      const started: { director?: Director } = {};
      const announcer =
        parts.openFeed === undefined
          ? undefined
          : createAnnouncer({
              config: () => current,
              snapshot: () => started.director?.snapshot(),
              openFeed: parts.openFeed,
              logger,
              clock: parts.clock,
              isUp: (id) => prepared.pool.isUp(id),
              drained: () => void started.director?.resync(),
            });
      const director = await startDirector({
        config,
        ipvs,
        pool: prepared.pool,
        targets: prepared.targets,
        mapping: prepared.mapping,
        logger,
        dryRun,
        clock: parts.clock,
        spawn: parts.spawn,
        listeners: [...prepared.listeners, alerts, ...(announcer === undefined ? [] : [announcer.listener])],
        transitionSpacingMs: TRANSITION_SPACING_MS,
        ...(announcer === undefined ? {} : { holding: (vid: string) => announcer.holding(vid) }),
      });
      undo.push(() => director.stop());
      started.director = director;
      // Withdrawn before the director stops (undo runs in reverse): routes go before the table does.
      if (announcer !== undefined) {
        undo.push(() => announcer.stop());
        await announcer.refresh();
      }
      const view = { ...director, snapshot: () => ({ ...director.snapshot(), announce: announcer?.status() }) };
      const observability = await prepared.start(view, ipvs, () => current);
      undo.push(() => observability.stop());
      // Last: what the host does then (a full collection: heap-flags.ts) holds back neither the routes nor the
      // status page.
      parts.started?.();
      const handle: DirectorControl = {
        async reload(load) {
          if (!load.ok) return director.reload(load);
          await useMaintenance(load.config);
          previous = current;
          current = load.config;
          const applied = await director.reload(load).catch((e: unknown) => {
            current = previous;
            throw e;
          });
          if (!applied) current = previous;
          else await announcer?.refresh();
          return applied;
        },
        async stop() {
          // observability → director (purge, mailed) → IPVS socket.
          await unwind();
        },
      };
      return handle;
    } catch (e) {
      await unwind();
      throw e;
    }
  };
}
