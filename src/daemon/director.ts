// The director's composition root: builds the reconciler around an IPVS client, a health pool, a clock, a
// logger and a spawner, wires the triggers (health transitions, periodic resync, reload) and tears it all
// down as a stack of disposers.
//
//   startDirector ─ setTargets → first pass (programs the virtual services; adopts what the kernel has)
//                 ─ pool.start → transitions → pass over the affected virtuals
//                 ─ every resyncinterval s → full pass (repairs drift)
//   reload(ok)    → setTargets (unchanged checks keep their state) → full pass (adds/removes virtuals)
//   reload(err)   → logs every error with file:line, keeps the running config whole
//   stop()        → no more triggers, pool stopped, cleanstop=yes virtuals purged, fallbackcommand stop

import type { Clock, HealthPoolApi, PoolTarget } from '../health/types';
import type { IpvsClient } from '../ipvs/types';
import type { Config, Diagnostic } from '../model/config';
import { attachDirectorLog } from '../observe/log/director-log';
import type { Logger } from '../observe/log/logger';
import type { IpvsMapping } from '../reconcile/desired';
import { createEventBus, type DirectorListener } from '../reconcile/events';
import { fallbackCommandArgv, type FallbackAction, type Spawner } from '../reconcile/fallback-command';
import { configMapping } from '../reconcile/mapping';
import { createReconciler, type PassOutcome } from '../reconcile/reconciler';
import { withOperationLog } from './dry-run';
import { takeSnapshot, type DirectorSnapshot } from './snapshot';
import { spawnProcess } from './spawn';
import type { VirtualService } from '../model/config';
import { createSyncKeeper } from '../sync/keeper';

/** What a config load produced (structurally src/config/load.ts's LoadResult). */
export type ReloadInput =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly errors: readonly Diagnostic[]; readonly warnings?: readonly Diagnostic[]; readonly file?: string };

export interface DirectorOptions {
  readonly config: Config;
  /** With dryRun, pass the in-memory table (createMemoryIpvs()). */
  readonly ipvs: IpvsClient;
  readonly pool: HealthPoolApi;
  /** The pool targets of a config (src/health/spec.ts targetsFor). */
  readonly targets: (config: Config) => readonly PoolTarget[];
  /** Config → IPVS model converters (default: src/model/to-ipvs.ts). */
  readonly mapping?: IpvsMapping;
  readonly clock?: Clock;
  readonly logger: Logger;
  readonly spawn?: Spawner;
  /** Log every IPVS operation (`dry-run: …`). */
  readonly dryRun?: boolean;
  /** Subscribed before the first pass, so they see its events too (metrics). */
  readonly listeners?: readonly DirectorListener[];
  /** Transition passes start at most this often (ms; default 0: one per transition batch). The daemon uses
   * TRANSITION_SPACING_MS: since transition passes need no kernel read they are quick, and one per batch
   * made thousands of passes out of a cold start at 5,000 reals. */
  readonly transitionSpacingMs?: number;
}

/** The daemon's spacing of transition passes (DirectorOptions.transitionSpacingMs). */
export const TRANSITION_SPACING_MS = 50;

export interface Director {
  /** Applies a good config and resolves true; with errors logs them, keeps the old config, resolves false. */
  reload(result: ReloadInput): Promise<boolean>;
  /** Safe to call twice; the second call waits for the first. */
  stop(): Promise<void>;
  /** A full pass now. */
  resync(): Promise<PassOutcome>;
  snapshot(): DirectorSnapshot;
  subscribe(listener: DirectorListener): () => void;
}

/** Target ids are `${vid}|${R}` (desired.ts realTargetId); a vid never contains `|`. */
const vidOf = (targetId: string): string => targetId.split('|', 1)[0] ?? targetId;

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export async function startDirector(opts: DirectorOptions): Promise<Director> {
  const clock = opts.clock ?? systemClock;
  const spawn = opts.spawn ?? spawnProcess;
  const { pool } = opts;
  const mapping = opts.mapping ?? configMapping;
  const bus = createEventBus();
  const disposers: Array<() => void | Promise<void>> = [];
  disposers.push(attachDirectorLog(bus, opts.logger));
  for (const l of opts.listeners ?? []) bus.subscribe(l);
  const client = opts.dryRun ? withOperationLog(opts.ipvs, (operation) => bus.emit({ type: 'dry-run', operation })) : opts.ipvs;
  const commands = new Set<Promise<void>>();
  let state: 'running' | 'stopped' = 'running';

  const runFallbackCommand = (v: VirtualService, command: string, action: FallbackAction): void => {
    bus.emit({ type: 'fallback-command', vid: v.id, action, command });
    const { file, args } = fallbackCommandArgv(command, action, v);
    const line = `${command} ${args.slice(3).join(' ')}`;
    const p = spawn(file, args)
      .then((r) => {
        if (r.code !== 0) bus.emit({ type: 'fallback-command-failed', vid: v.id, command: line, reason: r.signal ?? `exit status ${r.code}` });
      })
      .catch((e: Error) => bus.emit({ type: 'fallback-command-failed', vid: v.id, command: line, reason: e.message }))
      .finally(() => commands.delete(p));
    commands.add(p);
  };

  const health = (id: string): boolean | undefined => pool.isUp(id);
  const syncDaemons = createSyncKeeper({ client, logger: opts.logger, now: () => clock.now() });
  const reconciler = createReconciler({ client, map: mapping, health, bus, runFallbackCommand, now: () => clock.now() }, opts.config);

  let timer: unknown;
  const scheduleResync = (): void => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    const seconds = reconciler.config().global.resyncinterval;
    if (state !== 'running' || !(seconds > 0)) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      void reconciler.sync('resync').finally(() => {
        scheduleResync();
        void syncDaemons.sync(reconciler.config(), 'resync');
      });
    }, seconds * 1000);
  };
  disposers.push(() => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  });

  // Transition passes start at most every transitionSpacingMs: a transition after a quiet spell runs at once,
  // a storm of them (thousands of first checks at start) is merged into a few passes instead of one per batch.
  const spacing = Math.max(0, opts.transitionSpacingMs ?? 0);
  let lastTransitionPass = -Infinity;
  let held: Set<string> | undefined;
  let heldTimer: unknown;
  const runTransitions = (vids: ReadonlySet<string>): void => {
    lastTransitionPass = clock.now();
    void reconciler.sync('transition', vids);
  };
  pool.onTransitions((batch) => {
    if (state !== 'running') return;
    const vids = batch.map((t) => vidOf(t.id));
    if (held !== undefined) {
      for (const vid of vids) held.add(vid);
      return;
    }
    // Bounded by the spacing, so a wall-clock step back cannot hold a pass for long.
    const wait = Math.min(spacing, lastTransitionPass + spacing - clock.now());
    if (!(wait > 0)) {
      runTransitions(new Set(vids));
      return;
    }
    held = new Set(vids);
    heldTimer = clock.setTimeout(() => {
      heldTimer = undefined;
      const next = held;
      held = undefined;
      if (next !== undefined && state === 'running') runTransitions(next);
    }, wait);
  });
  disposers.push(() => {
    if (heldTimer !== undefined) clock.clearTimeout(heldTimer);
    heldTimer = undefined;
    held = undefined;
  });

  pool.setTargets(opts.targets(opts.config));
  await reconciler.sync('start');
  await syncDaemons.sync(opts.config, 'start');
  pool.start();
  disposers.push(() => pool.stop());
  scheduleResync();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      state = 'stopped';
      // disposers[0] is the log subscription: it is released last, after the purge has been logged.
      const cleanup = disposers.splice(1).reverse();
      for (const d of cleanup) await d();
      const clean = reconciler.config().virtuals.filter((v) => v.cleanstop);
      if (clean.length > 0) await reconciler.purge(clean);
      await syncDaemons.stop(reconciler.config());
      await Promise.all([...commands]);
      await disposers.splice(0).reverse().reduce((p, d) => p.then(() => d()), Promise.resolve());
    })());

  return {
    reload: async (result) => {
      if (state !== 'running') return false;
      if (!result.ok) {
        bus.emit({ type: 'reload-rejected', file: result.file ?? reconciler.config().file, errors: result.errors });
        return false;
      }
      pool.setTargets(opts.targets(result.config));
      reconciler.setConfig(result.config);
      await reconciler.sync('reload');
      await syncDaemons.sync(result.config, 'reload');
      bus.emit({ type: 'reloaded', file: result.config.file });
      scheduleResync();
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
