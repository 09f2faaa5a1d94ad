// The life of one director process, detached or in the foreground (docs/behaviour.md §1.4, §1.5, §4.5):
//   load config → (daemon: pid file) → start the director → alerts, monitor file, autoreload, execute= →
//   report ready → serve reloads until a stop signal → stop everything in reverse → exit status.
// Every resource acquired pushes its teardown on a stack; the stop path runs the stack once, in reverse.

import type { Config, DaemonState } from '../../model/config';
import { formatDiagnostic } from '../../config/diagnostics';
import type { Clock } from '../../health/types';
import { createAlerter, type AlertTransport } from '../alerts/alerter';
import { createServerEvents } from '../alerts/events';
import { createConfigWatch, type WatchFs } from '../config-watch';
import { createMonitorFileWriter } from '../monitorfile';
import {
  overridesFilePath,
  pidFilePath,
  processStartTime,
  readPidState,
  removePidFile,
  writePidFile,
  type PidFs,
} from '../pidfile';
import { applyExecuteReload, type ExecuteRunner } from './execute';
import {
  warningsOf,
  type ConfigSource,
  type DirectorStarter,
  type DirectorControl,
  type LoadResult,
  type Logger,
  type Readiness,
} from './collaborators';
import { wireSignals, type SignalSource } from './signals';

import { PERL_RELEASE as VERSION_BANNER } from '../../model/version';

export interface DaemonRunOptions {
  readonly configArg?: string;
  /** The resolved config path. */
  readonly configFile: string;
  readonly mode: 'daemon' | 'foreground';
  readonly dryRun: boolean;
  readonly runDir: string;
  readonly procRoot: string;
}

export interface DaemonRunDeps {
  readonly pid: number;
  readonly config: Pick<ConfigSource, 'load'>;
  readonly startDirector: DirectorStarter;
  /** The logger for a config (undefined before the first one loaded); called again after each reload. */
  readonly createLogger: (config: Config | undefined) => Logger;
  readonly readiness: Readiness;
  readonly signals: SignalSource;
  readonly clock: Clock;
  readonly pidFs: PidFs;
  readonly watchFs: WatchFs;
  readonly appendFile: (file: string, data: string) => Promise<void>;
  readonly runCallback: (callback: string, file: string) => Promise<void>;
  readonly alertTransport: AlertTransport;
  readonly hostname: string;
  readonly user: string;
  readonly execute: ExecuteRunner;
  /** How often autoreload polls the config file (ms); default 1000. */
  readonly watchIntervalMs?: number;
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

/** How long a config load may take before the start fails or the reload is abandoned. */
export const LOAD_TIMEOUT_MS = 30_000;
/** How long a stop lets reloads asked for before it finish (part of the stop budget of docs/deployment.md). */
export const RELOAD_GRACE_MS = 5_000;
/** The bound of each cleanup step that waits on the outside world (see `bounded` in runDaemon). */
export const CLEANUP_STEP_MS = 5_000;
const STOPPED: unique symbol = Symbol('stopped');
const TIMED_OUT: unique symbol = Symbol('timed out');
type Loaded = LoadResult | { readonly thrown: unknown } | typeof STOPPED | typeof TIMED_OUT;

/** A config load that a stop abandons and the clock bounds: the daemon never waits on a file for ever. */
function boundedLoad(
  d: Pick<DaemonRunDeps, 'config' | 'clock'>,
  file: string,
  stopped: Promise<typeof STOPPED>,
): Promise<Loaded> {
  let timer: unknown;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = d.clock.setTimeout(() => resolve(TIMED_OUT), LOAD_TIMEOUT_MS);
  });
  const load = d.config.load(file).catch((e: unknown) => ({ thrown: e }));
  return Promise.race([load, stopped, timeout]).finally(() => d.clock.clearTimeout(timer));
}

/** Runs until stopped; resolves with the exit status. Never rejects. */
export async function runDaemon(o: DaemonRunOptions, d: DaemonRunDeps): Promise<number> {
  let state: DaemonState = 'starting';
  let logger = d.createLogger(undefined);
  const log: Logger = {
    info: (m) => logger.info(m),
    warn: (m) => logger.warn(m),
    error: (m) => logger.error(m),
    debug: (level, m) => logger.debug(level, m),
  };
  const teardown: Array<() => Promise<unknown> | unknown> = [];
  const runTeardown = async (): Promise<void> => {
    while (teardown.length > 0) {
      const step = teardown.pop();
      try {
        await step?.();
      } catch (e) {
        log.error(`cleanup step failed: ${describe(e)}`);
      }
    }
  };

  /** A cleanup step that waits on something outside the process (children, mail servers) gets
   * CLEANUP_STEP_MS; then the stop goes on without it. The director's stop (the cleanstop purge) is not bounded
   * here: its own waits are (fallbackcommand, process/system.ts). */
  const bounded = (what: string, step: () => Promise<unknown> | unknown) => async (): Promise<void> => {
    let timer: unknown;
    const late = new Promise<'late'>((resolve) => {
      timer = d.clock.setTimeout(() => resolve('late'), CLEANUP_STEP_MS);
    });
    const r = await Promise.race([Promise.resolve().then(step), late]).finally(() => d.clock.clearTimeout(timer));
    if (r === 'late')
      log.warn(`Stopping: ${what} did not finish within ${CLEANUP_STEP_MS / 1000} s; going on without waiting`);
  };

  let stopSignal: string | undefined;
  let resolveStop: (signal: string) => void = () => undefined;
  const stopRequested = new Promise<string>((resolve) => {
    resolveStop = resolve;
  });
  const requestStop = (signal: string): void => {
    if (stopSignal === undefined) d.readiness.stopping?.();
    stopSignal ??= signal;
    resolveStop(signal);
  };
  /** Reloads are applied one after the other; a stop waits for the one being applied. */
  let applying: Promise<void> = Promise.resolve();
  /** The newest reload asked for: an older one whose load finishes later is superseded and dropped. */
  let generation = 0;
  /** A reload asked for while starting runs once the start is complete. */
  let reloadAfterStart = false;
  let director: DirectorControl | undefined;
  let config: Config | undefined;
  const stopped = stopRequested.then((): typeof STOPPED => STOPPED);

  /** One reload: load (abandoned when a stop comes, superseded by a newer reload, bounded in time), then the
   * director decides — a rejected load is its reload-rejected, logged and counted there. */
  const reload = async (why: 'signal' | 'autoreload'): Promise<void> => {
    if (state === 'stopping') return;
    if (director === undefined || config === undefined) {
      reloadAfterStart = true;
      return;
    }
    const mine = ++generation;
    state = 'reloading';
    if (why === 'signal') log.info('Reloading Linux Director Daemon config on signal');
    const r = await boundedLoad(d, o.configFile, abandoned);
    if (r === STOPPED) return;
    if (mine !== generation) {
      log.debug(1, `Reload of ${o.configFile} superseded by a newer one`);
      return;
    }
    const run = director;
    const apply = async (): Promise<void> => {
      if (state === 'stopping') return;
      if (r === TIMED_OUT) {
        log.error(
          `Reload of ${o.configFile} abandoned: the configuration could not be read within ${LOAD_TIMEOUT_MS / 1000} s; the running configuration is unchanged`,
        );
        return;
      }
      if ('thrown' in r) {
        log.error(`Reload of ${o.configFile} failed: ${describe(r.thrown)}`);
        return;
      }
      for (const w of warningsOf(r)) log.warn(formatDiagnostic(w));
      const previous = config;
      try {
        if (!(await run.reload(r)) || !r.ok || previous === undefined) return;
        config = r.config;
        logger = d.createLogger(config);
        await applyExecuteReload(d.execute, previous.global.execute, config.global.execute);
      } catch (e) {
        log.error(`Reload of ${o.configFile} failed: ${describe(e)}`);
      }
    };
    applying = applying.then(apply).finally(() => {
      if (state === 'reloading' && mine === generation) state = 'running';
    });
    await applying;
  };
  const inFlight = new Set<Promise<void>>();
  let reloadAnnounced = false;
  const queueReload = (why: 'signal' | 'autoreload'): void => {
    // The service manager hears RELOADING once per burst of reloads, and READY when the last one settled.
    if (!reloadAnnounced && state === 'running') {
      reloadAnnounced = true;
      d.readiness.reloading?.();
    }
    const p = reload(why).finally(() => {
      inFlight.delete(p);
      if (inFlight.size > 0 || !reloadAnnounced || state === 'stopping') return;
      reloadAnnounced = false;
      d.readiness.reloaded?.();
    });
    inFlight.add(p);
  };
  /** At stop: reloads asked for before it finish if they can within RELOAD_GRACE_MS; then they are abandoned. */
  let abandon: () => void = () => undefined;
  const abandoned = new Promise<typeof STOPPED>((resolve) => {
    abandon = () => resolve(STOPPED);
  });
  const settleReloads = async (): Promise<void> => {
    if (inFlight.size === 0) {
      abandon();
      return;
    }
    let timer: unknown;
    const grace = new Promise<void>((resolve) => {
      timer = d.clock.setTimeout(resolve, RELOAD_GRACE_MS);
    });
    await Promise.race([Promise.all([...inFlight]), grace]);
    d.clock.clearTimeout(timer);
    if (inFlight.size > 0)
      log.warn(`Stopping: a reload of ${o.configFile} still loading after ${RELOAD_GRACE_MS / 1000} s is abandoned`);
    abandon();
  };

  teardown.push(wireSignals(d.signals, { stop: requestStop, reload: () => queueReload('signal') }, log));

  const fail = async (exitCode: number, message: string): Promise<number> => {
    if (exitCode !== 0) log.error(`Exiting with exit_status ${exitCode}: ${message}`);
    // Clean up first (pid file, director), so that whoever waits for this message finds nothing left behind.
    await runTeardown();
    d.readiness.failed(exitCode, message);
    return exitCode;
  };

  const loaded = await boundedLoad(d, o.configFile, stopped);
  if (loaded === STOPPED) return fail(1, `stopped by signal ${stopSignal ?? ''} while loading ${o.configFile}`);
  if (loaded === TIMED_OUT) return fail(1, `cannot load ${o.configFile}: not read within ${LOAD_TIMEOUT_MS / 1000} s`);
  if ('thrown' in loaded) return fail(1, `cannot load ${o.configFile}: ${describe(loaded.thrown)}`);
  if (!loaded.ok) {
    return fail(2, loaded.errors.map(formatDiagnostic).join('\n'));
  }
  config = loaded.config;
  logger = d.createLogger(config);
  for (const w of warningsOf(loaded)) log.warn(formatDiagnostic(w));

  if (o.mode === 'daemon') {
    const file = pidFilePath(o.runDir, o.configArg);
    const existing = await readPidState(d.pidFs, file, o.procRoot);
    if (existing.state === 'running' && existing.pid !== d.pid) {
      return fail(1, `ldirectord for ${o.configFile} is already running with pid: ${existing.pid}`);
    }
    try {
      await writePidFile(d.pidFs, file, d.pid, await processStartTime(d.pidFs, o.procRoot, d.pid));
    } catch (e) {
      return fail(1, describe(e));
    }
    teardown.push(() => removePidFile(d.pidFs, file, d.pid));
    log.info(`Starting ${VERSION_BANNER} as daemon`);
  } else {
    log.info(`Starting ${VERSION_BANNER} with pid: ${d.pid}`);
  }

  const current = (): Config => config ?? loaded.config;
  // Alerts and the monitor file listen before the director starts: its first pass is mailed (state starting).
  const events = createServerEvents();
  const alerter = createAlerter({
    hostname: d.hostname,
    user: d.user,
    clock: d.clock,
    logger: log,
    state: () => state,
    from: () => current().global.emailalertfrom,
    transport: d.alertTransport,
  });
  teardown.push(bounded('the alert mails', () => alerter.stop()));
  teardown.push(alerter.attach(events));
  alerter.start();
  const monitor = createMonitorFileWriter({
    appendFile: d.appendFile,
    now: () => d.clock.now(),
    pid: d.pid,
    logger: log,
  });
  teardown.push(monitor.attach(events));

  try {
    director = await d.startDirector({
      config,
      dryRun: o.dryRun,
      logger: log,
      state: () => state,
      events,
      overridesFile: overridesFilePath(o.runDir, o.configArg),
    });
  } catch (e) {
    return fail(1, `cannot start the director: ${describe(e)}`);
  }
  const started = director;
  // Pushed after the alert subscriptions so that the mails about the stop purge still go out.
  teardown.push(() => started.stop());

  const watch = createConfigWatch({
    file: o.configFile,
    intervalMs: d.watchIntervalMs ?? 1000,
    clock: d.clock,
    fs: d.watchFs,
    logger: log,
    settings: () => ({ autoreload: current().global.autoreload, callback: current().global.callback }),
    reload: () => queueReload('autoreload'),
    runCallback: d.runCallback,
  });
  watch.start();
  teardown.push(bounded('the config watch', () => watch.stop()));

  for (const value of config.global.execute) await d.execute.run(value, 'start');
  teardown.push(
    bounded('the execute= stops', async () => {
      for (const value of current().global.execute) await d.execute.run(value, 'stop');
    }),
  );

  if (stopSignal !== undefined) {
    state = 'stopping';
    log.info(`Stopping ${VERSION_BANNER} on signal: ${stopSignal}`);
    return fail(1, `stopped by signal ${stopSignal} while starting`);
  }
  state = 'running';
  d.readiness.ready(d.pid);
  if (reloadAfterStart) queueReload('signal');

  const signal = await stopRequested;
  // A reload still loading is abandoned after a grace (its load may never finish: a FIFO in conf.d); one
  // being applied is a reconcile pass, and the stop waits for it.
  await settleReloads();
  state = 'stopping';
  await applying;
  log.info(`Stopping ${VERSION_BANNER} on signal: ${signal}`);
  await runTeardown();
  log.info(`Linux Director Daemon terminated on signal: ${signal}`);
  return 0;
}
