// The life of one director process, detached or in the foreground (docs/behaviour.md §1.4, §1.5, §4.5):
//   load config → (daemon: pid file) → start the director → alerts, monitor file, autoreload, execute= →
//   report ready → serve reloads until a stop signal → stop everything in reverse → exit status.
// Every resource acquired pushes its teardown on a stack; the stop path runs the stack once, in reverse.

import type { Config, DaemonState } from '../../model/config';
import { formatDiagnostic } from '../../config/diagnostics';
import type { Clock } from '../../health/types';
import { createAlerter, type AlertTransport } from '../alerts/alerter';
import { createServerEvents } from '../alerts/events';
import { smtpSettings } from '../alerts/smtp-settings';
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
import { cannotWork } from '../../health/cannot-work';
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
import { boundedLoad, describeError, LOAD_TIMEOUT_MS, STOPPED, TIMED_OUT } from './bounded-load';
import { createReloadQueue } from './reload-queue';

import { PERL_RELEASE as VERSION_BANNER } from '../../model/version';

export interface DaemonRunOptions {
  readonly configArg?: string;
  /** The resolved config path. */
  readonly configFile: string;
  readonly mode: 'daemon' | 'foreground';
  readonly dryRun: boolean;
  readonly runDir: string;
  readonly procRoot: string;
  /** The config as the CLI has just loaded it from configFile (a foreground start): the first load is skipped.
   * At 5,000 real servers a load costs ~0.6 s in the guest, on the way to a complete table. */
  readonly preloaded?: LoadResult;
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

/** The bound of each cleanup step that waits on the outside world (see `bounded` in runDaemon). */
export const CLEANUP_STEP_MS = 5_000;

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
        log.error(`cleanup step failed: ${describeError(e)}`);
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
  let director: DirectorControl | undefined;
  let config: Config | undefined;
  const stopped = stopRequested.then((): typeof STOPPED => STOPPED);
  const reloads = createReloadQueue({
    configFile: o.configFile,
    clock: d.clock,
    log,
    readiness: d.readiness,
    load: (abandoned) => boundedLoad(d, o.configFile, abandoned),
    running: () => (director !== undefined && config !== undefined ? { director, config } : undefined),
    state: () => state,
    setState: (s) => {
      state = s;
    },
    applied: async (previous, next) => {
      config = next;
      logger = d.createLogger(next);
      await applyExecuteReload(d.execute, previous.global.execute, next.global.execute);
    },
  });

  teardown.push(wireSignals(d.signals, { stop: requestStop, reload: () => reloads.queue('signal') }, log));

  const fail = async (exitCode: number, message: string): Promise<number> => {
    if (exitCode !== 0) log.error(`Exiting with exit_status ${exitCode}: ${message}`);
    // Clean up first (pid file, director), so that whoever waits for this message finds nothing left behind.
    await runTeardown();
    d.readiness.failed(exitCode, message);
    return exitCode;
  };

  const loaded = o.preloaded ?? (await boundedLoad(d, o.configFile, stopped));
  if (loaded === STOPPED) return fail(1, `stopped by signal ${stopSignal ?? ''} while loading ${o.configFile}`);
  if (loaded === TIMED_OUT) return fail(1, `cannot load ${o.configFile}: not read within ${LOAD_TIMEOUT_MS / 1000} s`);
  if ('thrown' in loaded) return fail(1, `cannot load ${o.configFile}: ${describeError(loaded.thrown)}`);
  if (!loaded.ok) {
    return fail(2, loaded.errors.map(formatDiagnostic).join('\n'));
  }
  config = loaded.config;
  logger = d.createLogger(config);
  for (const w of [...warningsOf(loaded), ...cannotWork(config)]) log.warn(formatDiagnostic(w));

  if (o.mode === 'daemon') {
    const file = pidFilePath(o.runDir, o.configArg);
    const existing = await readPidState(d.pidFs, file, o.procRoot);
    if (existing.state === 'running' && existing.pid !== d.pid) {
      return fail(1, `ldirectord for ${o.configFile} is already running with pid: ${existing.pid}`);
    }
    try {
      await writePidFile(d.pidFs, file, d.pid, await processStartTime(d.pidFs, o.procRoot, d.pid));
    } catch (e) {
      return fail(1, describeError(e));
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
    smtpSettings: () => smtpSettings(current().global),
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
    return fail(1, `cannot start the director: ${describeError(e)}`);
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
    reload: () => reloads.queue('autoreload'),
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
  reloads.started();

  const signal = await stopRequested;
  // A reload still loading is abandoned after a grace (its load may never finish: a FIFO in conf.d); one
  // being applied is a reconcile pass, and the stop waits for it.
  await reloads.settle();
  state = 'stopping';
  await reloads.applying();
  log.info(`Stopping ${VERSION_BANNER} on signal: ${signal}`);
  await runTeardown();
  log.info(`Linux Director Daemon terminated on signal: ${signal}`);
  return 0;
}
