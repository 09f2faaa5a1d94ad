// Reloads of a running daemon (docs/behaviour.md §1.5): each one loads the config (bounded in time, abandoned
// by a stop, superseded by a newer reload), then the director decides — a rejected load is its reload-rejected,
// logged and counted there. They are applied one after the other; a stop lets those asked for before it finish
// within RELOAD_GRACE_MS, then abandons them, and waits for the one being applied (a reconcile pass).

import { formatDiagnostic } from '../../config/diagnostics';
import type { Config, DaemonState } from '../../model/config';
import type { Clock } from '../../health/types';
import { cannotWork } from '../../health/cannot-work';
import { describeError, LOAD_TIMEOUT_MS, STOPPED, TIMED_OUT, type Loaded } from './bounded-load';
import { warningsOf, type DirectorControl, type Logger, type Readiness } from './collaborators';

/** How long a stop lets reloads asked for before it finish (part of the stop budget of docs/deployment.md). */
export const RELOAD_GRACE_MS = 5_000;

export type ReloadReason = 'signal' | 'autoreload';

export interface ReloadHost {
  readonly configFile: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly readiness: Readiness;
  /** The bounded load of the config file; resolves STOPPED once `abandoned` does. */
  load(abandoned: Promise<typeof STOPPED>): Promise<Loaded>;
  /** The director and its config once started; undefined while starting. */
  running(): { readonly director: DirectorControl; readonly config: Config } | undefined;
  state(): DaemonState;
  setState(state: DaemonState): void;
  /** A good config was applied by the director: adopt it (logger, execute= changes). */
  applied(previous: Config, next: Config): Promise<void>;
}

export interface ReloadQueue {
  /** A reload asked for (signal or autoreload); one asked for while starting runs once `started()` is called. */
  queue(why: ReloadReason): void;
  /** The start is complete. */
  started(): void;
  /** At stop: reloads still loading get RELOAD_GRACE_MS, then are abandoned. */
  settle(): Promise<void>;
  /** The reload being applied, if any. */
  applying(): Promise<void>;
}

export function createReloadQueue(h: ReloadHost): ReloadQueue {
  const { log } = h;
  let applying: Promise<void> = Promise.resolve();
  /** The newest reload asked for: an older one whose load finishes later is superseded and dropped. */
  let generation = 0;
  let reloadAfterStart = false;
  let abandon: () => void = () => undefined;
  const abandoned = new Promise<typeof STOPPED>((resolve) => {
    abandon = () => resolve(STOPPED);
  });

  const apply = async (r: Loaded, director: DirectorControl): Promise<void> => {
    if (h.state() === 'stopping' || r === STOPPED) return;
    if (r === TIMED_OUT) {
      log.error(
        `Reload of ${h.configFile} abandoned: the configuration could not be read within ${LOAD_TIMEOUT_MS / 1000} s; the running configuration is unchanged`,
      );
      return;
    }
    if ('thrown' in r) {
      log.error(`Reload of ${h.configFile} failed: ${describeError(r.thrown)}`);
      return;
    }
    for (const w of [...warningsOf(r), ...(r.ok ? cannotWork(r.config) : [])]) log.warn(formatDiagnostic(w));
    const previous = h.running()?.config;
    try {
      if (!(await director.reload(r)) || !r.ok || previous === undefined) return;
      await h.applied(previous, r.config);
    } catch (e) {
      log.error(`Reload of ${h.configFile} failed: ${describeError(e)}`);
    }
  };

  const reload = async (why: ReloadReason): Promise<void> => {
    if (h.state() === 'stopping') return;
    const run = h.running();
    if (run === undefined) {
      reloadAfterStart = true;
      return;
    }
    const mine = ++generation;
    h.setState('reloading');
    if (why === 'signal') log.info('Reloading Linux Director Daemon config on signal');
    const r = await h.load(abandoned);
    if (r === STOPPED) return;
    if (mine !== generation) {
      log.debug(1, `Reload of ${h.configFile} superseded by a newer one`);
      return;
    }
    applying = applying
      .then(() => apply(r, run.director))
      .finally(() => {
        if (h.state() === 'reloading' && mine === generation) h.setState('running');
      });
    await applying;
  };

  const inFlight = new Set<Promise<void>>();
  let reloadAnnounced = false;
  const queue = (why: ReloadReason): void => {
    // The service manager hears RELOADING once per burst of reloads, and READY when the last one settled.
    if (!reloadAnnounced && h.state() === 'running') {
      reloadAnnounced = true;
      h.readiness.reloading?.();
    }
    const p = reload(why).finally(() => {
      inFlight.delete(p);
      if (inFlight.size > 0 || !reloadAnnounced || h.state() === 'stopping') return;
      reloadAnnounced = false;
      h.readiness.reloaded?.();
    });
    inFlight.add(p);
  };

  return {
    queue,
    started() {
      if (reloadAfterStart) queue('signal');
    },
    async settle() {
      if (inFlight.size === 0) {
        abandon();
        return;
      }
      let timer: unknown;
      const grace = new Promise<void>((resolve) => {
        timer = h.clock.setTimeout(resolve, RELOAD_GRACE_MS);
      });
      await Promise.race([Promise.all([...inFlight]), grace]);
      h.clock.clearTimeout(timer);
      if (inFlight.size > 0)
        log.warn(`Stopping: a reload of ${h.configFile} still loading after ${RELOAD_GRACE_MS / 1000} s is abandoned`);
      abandon();
    },
    applying: () => applying,
  };
}
