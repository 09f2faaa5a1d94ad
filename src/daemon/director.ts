// The director: the reconciler around an IPVS client and a health pool, driven by the pass triggers of
// src/reconcile/triggers.ts (a pure policy: this file only carries out its commands with the injected clock)
// and torn down in a fixed order (stop()). Every collaborator is passed in by the
// composition root (process/director-starter.ts); nothing here reaches for the system.
//
//   startDirector ─ first pass (programs the virtual services; adopts what the kernel has) → setTargets
//                 ─ pool.start → transitions → pass over the affected virtuals
//                 ─ every resyncinterval s → full pass (repairs drift)
//   reload(ok)    → setTargets (unchanged checks keep their state) → full pass (adds/removes virtuals)
//   reload(err)   → reload-rejected: every error logged with file:line and counted, the running config kept
//                   whole; so is a config that would remove every virtual (reload-policy.ts)
//   stop()        → no more triggers, pool stopped, cleanstop=yes virtuals purged, fallbackcommand stop

import type { Clock, HealthPoolApi, PoolTarget } from '../health/types';
import type { IpvsClient } from '../ipvs/types';
import type { LoadResult } from '../config/load';
import type { Config } from '../model/config';
import { formatDiagnostic } from '../config/diagnostics';
import { attachReconcileLog } from '../observe/log/reconcile-log';
import type { Logger } from '../observe/log/logger';
import type { IpvsMapping } from '../reconcile/desired';
import { createEventBus, type ReconcileListener } from '../reconcile/events';
import { fallbackCommandArgv, type FallbackAction, type Spawner } from '../reconcile/fallback-command';
import { configMapping } from '../reconcile/mapping';
import { createReconciler, type PassOutcome } from '../reconcile/reconciler';
import { takeSnapshot, type DirectorSnapshot } from '../reconcile/snapshot';
import {
  INITIAL_TRIGGERS,
  nextTriggers,
  type TriggerCommand,
  type TriggerInput,
  type TriggerSettings,
} from '../reconcile/triggers';
import type { VirtualService } from '../model/config';
import { withOperationLog } from './dry-run';
import { reloadVerdict } from './reload-policy';
import { createSyncKeeper } from '../sync/keeper';

export interface DirectorDeps {
  readonly config: Config;
  /** With dryRun, pass the in-memory table (createMemoryIpvs()). */
  readonly ipvs: IpvsClient;
  readonly pool: HealthPoolApi;
  /** The pool targets of a config (src/health/spec.ts targetsFor). */
  readonly targets: (config: Config) => readonly PoolTarget[];
  /** Config → IPVS model converters (default: src/reconcile/to-ipvs.ts). */
  readonly mapping?: IpvsMapping;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Runs fallbackcommand. */
  readonly spawn: Spawner;
  /** Log every IPVS operation (`dry-run: …`). */
  readonly dryRun?: boolean;
  /** Subscribed before the first pass, so they see its events too (metrics). */
  readonly listeners?: readonly ReconcileListener[];
  /** Transition passes start at most this often (ms; default 0: one per transition batch). The daemon uses
   * TRANSITION_SPACING_MS: since transition passes need no kernel read they are quick, and one per batch
   * made thousands of passes out of a cold start at 5,000 reals. */
  readonly transitionSpacingMs?: number;
  /** A real server the checks found down in this virtual service stays as the kernel has it while this says so
   * (BGP drain: src/announce/drain.ts). */
  readonly holding?: (vid: string) => boolean;
}

/** The daemon's spacing of transition passes (DirectorDeps.transitionSpacingMs). */
export const TRANSITION_SPACING_MS = 50;

export interface Director {
  /** Applies a good config and resolves true; a rejected one (errors, or every virtual removed without
   * allowemptyreload) is reported as reload-rejected, the old config kept, and resolves false. */
  reload(result: LoadResult): Promise<boolean>;
  /** Safe to call twice; the second call waits for the first. */
  stop(): Promise<void>;
  /** A full pass now. */
  resync(): Promise<PassOutcome>;
  snapshot(): DirectorSnapshot;
  subscribe(listener: ReconcileListener): () => void;
}

/** Target ids are `${vid}|${R}` (desired.ts realTargetId); a vid never contains `|`. */
const vidOf = (targetId: string): string => targetId.split('|', 1)[0] ?? targetId;

export async function startDirector(opts: DirectorDeps): Promise<Director> {
  const { pool, clock, spawn } = opts;
  const mapping = opts.mapping ?? configMapping;
  const bus = createEventBus();
  const detachLog = attachReconcileLog(bus, opts.logger);
  for (const l of opts.listeners ?? []) bus.subscribe(l);
  const client = opts.dryRun
    ? withOperationLog(opts.ipvs, (operation) => bus.emit({ type: 'dry-run', operation }))
    : opts.ipvs;
  const commands = new Set<Promise<void>>();
  let state: 'running' | 'stopped' = 'running';

  const runFallbackCommand = (v: VirtualService, command: string, action: FallbackAction): void => {
    bus.emit({ type: 'fallback-command', vid: v.id, action, command });
    const { file, args } = fallbackCommandArgv(command, action, v);
    const line = `${command} ${args.slice(3).join(' ')}`;
    const p = spawn(file, args)
      .then((r) => {
        if (r.code !== 0)
          bus.emit({
            type: 'fallback-command-failed',
            vid: v.id,
            command: line,
            reason: r.signal ?? `exit status ${r.code}`,
          });
      })
      .catch((e: Error) => bus.emit({ type: 'fallback-command-failed', vid: v.id, command: line, reason: e.message }))
      .finally(() => commands.delete(p));
    commands.add(p);
  };

  const holding = opts.holding;
  const health = (id: string): boolean | undefined => {
    const up = pool.isUp(id);
    return up === false && holding !== undefined && holding(vidOf(id)) ? undefined : up;
  };
  const syncDaemons = createSyncKeeper({ client, logger: opts.logger, now: () => clock.now() });
  const reconciler = createReconciler(
    { client, map: mapping, health, bus, runFallbackCommand, now: () => clock.now() },
    opts.config,
  );

  // The pass triggers: the policy decides (src/reconcile/triggers.ts), this loop only runs its commands.
  const settings = (): TriggerSettings => ({
    spacingMs: opts.transitionSpacingMs ?? 0,
    resyncSeconds: reconciler.config().global.resyncinterval,
  });
  let triggers = INITIAL_TRIGGERS;
  let spacingTimer: unknown;
  let resyncTimer: unknown;
  const feed = (input: TriggerInput): void => {
    const next = nextTriggers(triggers, input);
    triggers = next.state;
    for (const c of next.commands) run(c);
  };
  const run = (c: TriggerCommand): void => {
    switch (c.type) {
      case 'pass':
        if (c.phase === 'transition') {
          const t0 = clock.now();
          void reconciler
            .sync('transition', c.vids)
            .finally(() => feed({ type: 'transition-pass-done', durationMs: clock.now() - t0 }));
        } else {
          void reconciler.sync('resync').finally(() => {
            feed({ type: 'resync-done', settings: settings() });
            void syncDaemons.sync(reconciler.config(), 'resync');
          });
        }
        return;
      case 'arm-spacing':
        spacingTimer = clock.setTimeout(() => {
          spacingTimer = undefined;
          feed({ type: 'spacing-elapsed', now: clock.now() });
        }, c.ms);
        return;
      case 'cancel-spacing':
        if (spacingTimer !== undefined) clock.clearTimeout(spacingTimer);
        spacingTimer = undefined;
        return;
      case 'arm-resync':
        resyncTimer = clock.setTimeout(() => {
          resyncTimer = undefined;
          feed({ type: 'resync-elapsed' });
        }, c.ms);
        return;
      case 'cancel-resync':
        if (resyncTimer !== undefined) clock.clearTimeout(resyncTimer);
        resyncTimer = undefined;
        return;
    }
  };
  pool.onTransitions((batch) =>
    feed({ type: 'transitions', vids: batch.map((t) => vidOf(t.id)), now: clock.now(), settings: settings() }),
  );

  // The start-up pass asks no check (none has run: every health is unknown), so the checks' targets are built
  // after it and the table does not wait for them (the list alone: 13-22 ms at 5,000 real servers on the host).
  await reconciler.sync('start');
  await syncDaemons.sync(opts.config, 'start');
  pool.setTargets(opts.targets(opts.config));
  pool.start();
  feed({ type: 'start', settings: settings() });

  // The stop order: triggers off, checks off, the cleanstop purge, fallback commands, and the log last, so that the
  // purge is still logged.
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      state = 'stopped';
      feed({ type: 'stop' });
      await pool.stop();
      const clean = reconciler.config().virtuals.filter((v) => v.cleanstop);
      if (clean.length > 0) await reconciler.purge(clean);
      await syncDaemons.stop(reconciler.config());
      await Promise.all([...commands]);
      detachLog();
    })());

  return {
    reload: async (result) => {
      if (state !== 'running') return false;
      const verdict = reloadVerdict(reconciler.config(), result);
      for (const w of verdict.warnings) opts.logger.warn(formatDiagnostic(w));
      if (!verdict.accept) {
        bus.emit({ type: 'reload-rejected', file: reconciler.config().file, errors: verdict.errors });
        return false;
      }
      pool.setTargets(opts.targets(verdict.config));
      reconciler.setConfig(verdict.config);
      await reconciler.sync('reload');
      await syncDaemons.sync(verdict.config, 'reload');
      bus.emit({ type: 'reloaded', file: verdict.config.file });
      feed({ type: 'reloaded', settings: settings() });
      return true;
    },
    stop,
    resync: () => reconciler.sync('resync'),
    snapshot: () => ({
      ...takeSnapshot({
        config: reconciler.config(),
        state,
        views: reconciler.views(),
        pool,
        map: mapping,
        fallbackState: reconciler.fallbackState(),
        lastOutcome: reconciler.lastOutcome(),
      }),
      syncDaemons: syncDaemons.status(),
    }),
    subscribe: (l) => bus.subscribe(l),
  };
}
