// The composition root's inputs (system.ts builds the effectful parts from them): the options its callers
// give, the time budgets of the processes and sockets it binds, and the settings it takes from the environment.

import type { DirectorStarter, LoadResult, Readiness } from './collaborators';
import { DEFAULT_RUN_DIR } from '../pidfile';
import type { Command } from './self-command';
import type { StartRequest } from '../actions';
import type { DaemonArgs } from './daemon-args';
import type { DaemonRunOptions } from './run-daemon';

export const SMTP_PORT = 25;
export const MAIL_TIMEOUT_MS = 30_000;
/** How long a stop may take before the caller gives up on the daemon. */
const STOP_TIMEOUT_MS = 30_000;
/** How long a fallbackcommand may run before its process group is killed: inside the 30 s stop budget. */
export const FALLBACK_COMMAND_TIMEOUT_MS = 20_000;
/** How long an execute= sub-instance's ldirectord command may run. */
export const EXECUTE_TIMEOUT_MS = 60_000;
/** How long a detached daemon may take to say it is ready. */
const READY_TIMEOUT_MS = 120_000;

export interface SystemDepsOptions {
  readonly debug: boolean;
  readonly foreground: boolean;
  readonly dryRun: boolean;
  readonly configArg?: string;
  readonly startDirector: DirectorStarter;
  readonly readiness: Readiness;
  /** Foreground under a systemd unit whose output is the journal: lines with `<N>` priority prefixes. */
  readonly journal?: boolean;
  /** `this ldirectord`, for execute= sub-instances. */
  readonly self: Command | undefined;
  /** The loader of the daemon's config and its reloads (default: a new createConfigLoader()). */
  readonly configLoader?: (file: string) => Promise<LoadResult>;
}

export interface SystemActionOptions {
  readonly runDir?: string;
  readonly procRoot?: string;
  /** The detached daemon's entry file (default process/daemon-main): tests give one that starts the same
   * main with a stand-in director (test/daemon/fixtures/fake-daemon-main.ts). */
  readonly daemonEntry?: string;
  /** The director of a foreground daemon (default: the real one, loaded on first use). */
  readonly startDirector?: DirectorStarter;
  readonly readyTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
  readonly self?: Command;
}

/** The flags an execute= sub-instance is started with: a dry run's sub-instances are dry runs too. */
export const executeFlags = (dryRun: boolean): string[] => (dryRun ? ['--dry-run'] : []);

export interface ActionSettings {
  readonly runDir: string;
  readonly procRoot: string;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
  readonly forceSupervised: boolean;
}

/**
 * The options with their defaults. The environment can move the run directory (LDIRECTORD_RUN_DIR: tests,
 * unprivileged use) and force foreground operation (LDIRECTORD_SUPERVISED=yes: containers).
 */
export function actionSettings(o: SystemActionOptions, env: NodeJS.ProcessEnv): ActionSettings {
  return {
    runDir: o.runDir ?? env.LDIRECTORD_RUN_DIR ?? DEFAULT_RUN_DIR,
    procRoot: o.procRoot ?? '/proc',
    readyTimeoutMs: o.readyTimeoutMs ?? READY_TIMEOUT_MS,
    stopTimeoutMs: o.stopTimeoutMs ?? STOP_TIMEOUT_MS,
    forceSupervised: env.LDIRECTORD_SUPERVISED === 'yes',
  };
}

type StartShape = Pick<StartRequest, 'configFile' | 'configArg' | 'dryRun'> & Partial<Pick<StartRequest, 'config'>>;

/** The detached daemon's command line (daemon-args.ts) for a start request. */
export const detachedDaemonArgs = (req: StartShape, s: ActionSettings, self: Command | undefined): DaemonArgs => ({
  configFile: req.configFile,
  configArg: req.configArg,
  runDir: s.runDir,
  procRoot: s.procRoot,
  dryRun: req.dryRun,
  self,
});

/** runDaemon's options for a daemon started in the foreground. */
export const foregroundRunOptions = (req: StartShape, s: ActionSettings): DaemonRunOptions => ({
  ...(req.config !== undefined ? { preloaded: { ok: true, config: req.config } } : {}),
  configArg: req.configArg,
  configFile: req.configFile,
  mode: 'foreground',
  dryRun: req.dryRun,
  runDir: s.runDir,
  procRoot: s.procRoot,
});
