// The composition root: the one place that builds the effectful parts — clocks (wall and monotonic), the IPVS
// client (netlink, or the in-memory table for --dry-run), files (config reader, pid files, watch, monitor
// file), child processes (execute=, fallbackcommand, callback, sendmail), SMTP sockets, log sinks — and passes
// them in: to the CLI actions (systemActionDeps), to the daemon (systemDaemonDeps) and to the director
// (systemHostParts). Everything here is a thin binding; the behaviour lives in the modules it wires, and its
// options, time budgets and environment settings, which build nothing, in system-options.ts.
// The director and everything under it (health checks, observability, IPVS) is required only when a daemon
// is started, so `status`, `stop` and `reload` start fast.

import { spawn } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import { findConfigFile } from '../../config/find';
import { createConfigLoader } from '../../config/load';
import { readConfigFile } from '../../config/read-file';
import type { WatchFs } from '../config-watch';
import { systemClock } from '../system-clock';
import { CurrentLog } from './current-log';
import type { AlertTransport } from '../alerts/alerter';
import { createAlertTransport } from '../alerts/transport';
import type { ActionDeps } from '../actions';
import type { PidFs } from '../pidfile';
import { boundedSpawner } from '../spawn';
import { CALLBACK_TIMEOUT_MS, callbackRunner } from '../callback';
import { formatDaemonArgs } from './daemon-args';
import { daemonize } from './daemonize';
import { guardProcess } from './crash-guard';
import type { HostParts } from './director-starter';
import { runDaemon } from './run-daemon';
import { cliCommand, daemonMainFile, nodeCommand } from './self-command';
import { createExecuteRunner } from './execute';
import { spawnNotify, systemdUnit } from './systemd-unit';
import type { DirectorStarter, Logger } from './collaborators';
import type { DaemonRunDeps } from './run-daemon';
import { withMallocEnv } from './malloc-env';
import { applyRunningHeapFlags } from './heap-flags';
import {
  actionSettings,
  detachedDaemonArgs,
  foregroundRunOptions,
  EXECUTE_TIMEOUT_MS,
  executeFlags,
  FALLBACK_COMMAND_TIMEOUT_MS,
  MAIL_TIMEOUT_MS,
  SMTP_PORT,
  type SystemActionOptions,
  type SystemDepsOptions,
} from './system-options';

export { systemClock } from '../system-clock';

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'ldirectord');
  }
}

/** Runs `<callback> <config path>` if the callback's program is executable (docs/behaviour.md §2.2), bounded in
 * time; settles when it has exited (src/daemon/callback.ts). */
export const runCallback = callbackRunner({
  spawn: boundedSpawner(spawn, CALLBACK_TIMEOUT_MS),
  executable: (program) => fs.access(program, fsConstants.X_OK),
  timeoutMs: CALLBACK_TIMEOUT_MS,
});

/** `o` is for tests: another SMTP port, extra trusted CAs, another local mailer. */
export function systemAlertTransport(
  hostname: string,
  o: { port?: number; ca?: string; sendmail?: string } = {},
): AlertTransport {
  return createAlertTransport({
    helo: hostname,
    port: o.port ?? SMTP_PORT,
    timeoutMs: MAIL_TIMEOUT_MS,
    spawn,
    readFile: (f) => fs.readFile(f, 'utf8'),
    ...(o.ca !== undefined ? { ca: o.ca } : {}),
    ...(o.sendmail !== undefined ? { sendmail: o.sendmail } : {}),
  });
}

/** The autoreload poll reads the config as the loader does: a regular file only, bounded (a FIFO put in place
 * of the config must not park the poll). */
export const systemWatchFs: WatchFs = {
  stat: (f) => fs.stat(f),
  readFile: async (f) => Buffer.from(await readConfigFile(f)),
};

/** The daemon's collaborators, and a logger that always writes to the daemon's current log destination. */
export function systemDaemonDeps(o: SystemDepsOptions): DaemonRunDeps & { readonly log: Logger } {
  const hostname = os.hostname();
  const log = new CurrentLog({
    debug: o.debug,
    foreground: o.foreground,
    pid: process.pid,
    now: () => Date.now(),
    journal: o.journal === true,
    ...(o.configArg !== undefined ? { configArg: o.configArg } : {}),
  });
  return {
    log: log.logger,
    pid: process.pid,
    // One loader per daemon: a reload takes over the sections that did not change (src/config/section-memo.ts).
    config: { load: o.configLoader ?? createConfigLoader() },
    startDirector: o.startDirector,
    createLogger: (config) => log.switchTo(config),
    readiness: o.readiness,
    signals: process,
    clock: systemClock,
    pidFs: systemPidFs,
    watchFs: systemWatchFs,
    appendFile: (f, d) => fs.appendFile(f, d),
    runCallback,
    alertTransport: systemAlertTransport(hostname),
    hostname,
    user: safeUser(),
    execute: createExecuteRunner({
      self: o.self,
      flags: executeFlags(o.dryRun),
      spawn,
      logger: log.logger,
      timeoutMs: EXECUTE_TIMEOUT_MS,
    }),
  };
}

const systemPidFs: PidFs = {
  readFile: (f, e) => fs.readFile(f, e),
  writeFile: (f, d, opt) => fs.writeFile(f, d, opt),
  rename: (a, b) => fs.rename(a, b),
  unlink: (f) => fs.unlink(f),
};

/** The director's parts as the rest of the tree provides them. */
export function systemHostParts(): HostParts {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when a daemon starts */
  return {
    ipvs: (dryRun) =>
      dryRun
        ? Promise.resolve(
            (require('../../ipvs/memory/table') as typeof import('../../ipvs/memory/table')).createMemoryIpvs({
              interfaces: (require('../../sync/host-check') as typeof import('../../sync/host-check')).hostInterfaces(),
            }),
          )
        : (require('../../ipvs/open') as typeof import('../../ipvs/open')).openIpvs(),
    // One lister per daemon: an unchanged virtual keeps its targets across a reload (src/health/spec.ts).
    targets: (require('../../health/spec') as typeof import('../../health/spec')).targetLister(),
    clock: systemClock,
    poolClock: (require('../../health/clock') as typeof import('../../health/clock')).systemClock,
    checkWorkers: (configured, onDeath) => {
      const w = require('../../health/workers/start') as typeof import('../../health/workers/start');
      return w.startCheckWorkers(configured, onDeath);
    },
    spawn: boundedSpawner(spawn, FALLBACK_COMMAND_TIMEOUT_MS),
    readFile: (f) => fs.readFile(f),
    overridesFs: (
      require('../../observe/actions/persisted-overrides') as typeof import('../../observe/actions/persisted-overrides')
    ).nodeOverrideFs,
    openFeed: (o) => (require('../../announce/server') as typeof import('../../announce/server')).openFeedServer(o),
    // The heap settings held back while the start-up's burst of allocation ran (heap-flags.ts).
    started: () => void applyRunningHeapFlags(),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export function systemDirectorStarter(): DirectorStarter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require('./director-starter') as typeof import('./director-starter');
  return m.directorStarter(systemHostParts());
}

/** The real system, for the CLI actions (settings and defaults: system-options.ts). */
export function systemActionDeps(o: SystemActionOptions = {}): ActionDeps {
  const settings = actionSettings(o, process.env);
  const { runDir, procRoot } = settings;
  const self = o.self ?? cliCommand();
  // The CLI's load of the config is the foreground daemon's first: the daemon starts from it (preloaded) and
  // its first reload takes over the sections it built, as after any load of its own.
  const loader = createConfigLoader();
  const runner = (dryRun: boolean): ReturnType<typeof createExecuteRunner> =>
    createExecuteRunner({
      self,
      flags: executeFlags(dryRun),
      spawn,
      logger: {
        info: () => undefined,
        warn: () => undefined,
        error: (m) => process.stderr.write(`${m}\n`),
        debug: () => undefined,
      },
      timeoutMs: EXECUTE_TIMEOUT_MS,
    });
  return {
    runDir,
    // Only `status` asks the running daemon's page: its HTTP(S) client is loaded then, not by every command.
    statusTable: (c) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy loading
      const m = require('../../observe/status/fetch-table') as typeof import('../../observe/status/fetch-table');
      return m.fetchStatusTable(c);
    },
    procRoot,
    stdout: (t) => {
      process.stdout.write(t);
    },
    stderr: (t) => {
      process.stderr.write(t);
    },
    findConfig: (arg) => findConfigFile(arg),
    loadConfig: loader,
    pidFs: systemPidFs,
    kill: (pid, signal) => {
      process.kill(pid, signal);
    },
    sleep: (ms) =>
      new Promise((resolve) => {
        setTimeout(resolve, ms);
      }),
    now: () => Date.now(),
    startDaemon: (req) =>
      daemonize(spawn, {
        command: nodeCommand(o.daemonEntry ?? daemonMainFile()),
        args: formatDaemonArgs(detachedDaemonArgs(req, settings, self)),
        env: withMallocEnv(process.env),
        readyTimeoutMs: settings.readyTimeoutMs,
      }),
    runForeground: async (req) => {
      const unit = systemdUnit(process.env, spawnNotify, (m) => deps.log.warn(m));
      const deps = systemDaemonDeps({
        debug: req.debug,
        foreground: true,
        dryRun: req.dryRun,
        configArg: req.configArg,
        startDirector: o.startDirector ?? systemDirectorStarter(),
        readiness: unit.readiness,
        journal: unit.journal,
        self,
        configLoader: loader,
      });
      const unguard = guardProcess(process, deps.log);
      try {
        return await runDaemon(foregroundRunOptions(req, settings), deps);
      } finally {
        unguard();
        await unit.idle();
        // The daemon is done: whatever is still open (a check's socket) must not keep the process alive.
        setTimeout(() => process.exit(), 2000).unref();
      }
    },
    execute: (value, action) => runner(false).run(value, action),
    stopTimeoutMs: settings.stopTimeoutMs,
    forceSupervised: settings.forceSupervised,
  };
}
