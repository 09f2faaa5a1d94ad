// Lifecycle actions of the CLI (start, stop, restart, try-restart, reload, force-reload, status) with the Perl
// ldirectord's exit codes (docs/behaviour.md §1.3), and these deliberate fixes (docs/compat.md):
//   * `start` returns only once the daemon has programmed its virtual services, or fails with the reason;
//   * `stop` waits for the daemon's cleanup (bounded), `restart` too;
//   * a broken config never removes a running daemon's pid file, and `stop` still stops it.
// Collaborators are injected (ActionDeps); the composition root (process/system.ts systemActionDeps) binds them
// to the real system.

import { formatDiagnostic } from '../config/diagnostics';
import { configCandidates, DEFAULT_CONFIG_NAME } from '../config/find';
import type { Config } from '../model/config';
import { isLdirectord, pidFilePath, readPidState, removeStalePidFile, type PidFs, type PidState } from './pidfile';
import type { DaemonOutcome } from './process/daemonize';
import type { SubAction } from './process/execute';
import { warningsOf, type LoadResult } from './process/collaborators';
import { systemActionDeps } from './process/system';
import type { TableResult } from '../observe/status/fetch-table';

export type Action = 'start' | 'stop' | 'restart' | 'try-restart' | 'reload' | 'force-reload' | 'status';

export interface ActionOptions {
  /** The config argument exactly as typed (undefined = default `ldirectord.cf`). */
  readonly configArg?: string;
  readonly debug: boolean;
  /** --dry-run: run against an in-memory IPVS table instead of the kernel (added by the CLI). */
  readonly dryRun?: boolean;
}

export interface StartRequest {
  readonly configArg?: string;
  readonly configFile: string;
  readonly config: Config;
  readonly debug: boolean;
  readonly dryRun: boolean;
}

export interface ActionDeps {
  readonly runDir: string;
  readonly procRoot: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly findConfig: (arg: string | undefined) => string | undefined;
  readonly loadConfig: (file: string) => Promise<LoadResult>;
  readonly pidFs: PidFs;
  readonly kill: (pid: number, signal: NodeJS.Signals) => void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Spawns the detached daemon and waits for its readiness. */
  readonly startDaemon: (req: StartRequest) => Promise<DaemonOutcome>;
  /** Runs the daemon in this process (-d, supervised=yes) until it stops; resolves with the exit status. */
  readonly runForeground: (req: StartRequest) => Promise<number>;
  /** `<this ldirectord> <value> <action>` for execute= sub-instances. */
  readonly execute: (value: string, action: SubAction) => Promise<number>;
  /** How long stop/restart wait for the daemon's cleanup. */
  readonly stopTimeoutMs: number;
  /** Treat every config as supervised=yes (LDIRECTORD_SUPERVISED=yes; containers, systemd Type=simple). */
  readonly forceSupervised?: boolean;
  /** `status` of a running daemon: its status table from statusaddress (src/observe/status/fetch-table.ts). */
  readonly statusTable?: (config: Config) => Promise<TableResult>;
}

const POLL_MS = 100;

type Prepared =
  | { readonly ok: true; readonly file: string; readonly config?: Config; readonly pid: PidState }
  | { readonly ok: false; readonly exitCode: number };

/** Config lookup, load and pid-file state, as every action starts (docs/behaviour.md §1.2). */
async function prepare(action: Action, o: ActionOptions, d: ActionDeps): Promise<Prepared> {
  const name = o.configArg ?? DEFAULT_CONFIG_NAME;
  const file = d.findConfig(o.configArg);
  if (file === undefined) {
    d.stderr(`Config file ${name} not found (looked for ${configCandidates(o.configArg).join(', ')})\n`);
    return { ok: false, exitCode: 1 };
  }
  const loaded = await d.loadConfig(file);
  const pid = await readPidState(d.pidFs, pidFilePath(d.runDir, o.configArg), d.procRoot);
  if (!loaded.ok) {
    for (const e of loaded.errors) d.stderr(`${formatDiagnostic(e)}\n`);
    // stop must still work with a broken config (the original exited 2 and left the daemon running), and
    // status still says what it knows about the running daemon (then exits 2, as the original did).
    if (action !== 'stop' && action !== 'status') return { ok: false, exitCode: 2 };
    return { ok: true, file, pid };
  }
  for (const w of warningsOf(loaded)) d.stderr(`${formatDiagnostic(w)}\n`);
  return { ok: true, file, config: loaded.config, pid };
}

/** What the pid file says, for `status` when the config on disk cannot be read. */
function statusLine(file: string, pid: PidState): string {
  if (pid.state === 'running')
    return `ldirectord for ${file} is running with pid: ${pid.pid} (the configuration on disk has errors, listed above)\n`;
  if (pid.state === 'stale') return `ldirectord stale pid file ${pid.file} for ${file}\n`;
  return `ldirectord is stopped for ${file}\n`;
}

/** Waits until `pid` is no longer an ldirectord (its cleanup done); false on timeout. */
async function waitForExit(pid: number, d: ActionDeps): Promise<boolean> {
  const deadline = d.now() + d.stopTimeoutMs;
  while (await isLdirectord(d.pidFs, d.procRoot, pid)) {
    if (d.now() >= deadline) return false;
    await d.sleep(POLL_MS);
  }
  return true;
}

async function stop(file: string, pid: PidState, d: ActionDeps): Promise<number> {
  if (pid.state === 'stale') await removeStalePidFile(d.pidFs, pid.file, d.procRoot);
  if (pid.state !== 'running') {
    d.stderr(`ldirectord is stopped for ${file}\n`);
    return 0;
  }
  try {
    d.kill(pid.pid, 'SIGTERM');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return 0;
    d.stderr(`Cannot signal ldirectord for ${file} (pid ${pid.pid}): ${(e as Error).message}\n`);
    return 1;
  }
  if (await waitForExit(pid.pid, d)) {
    d.stderr(`ldirectord for ${file} (pid ${pid.pid}) stopped\n`);
    return 0;
  }
  d.stderr(`ldirectord for ${file} (pid ${pid.pid}) did not stop within ${d.stopTimeoutMs / 1000} s\n`);
  return 1;
}

async function start(o: ActionOptions, file: string, config: Config, pid: PidState, d: ActionDeps): Promise<number> {
  if (pid.state === 'running') {
    d.stderr(`ldirectord for ${file} is already running with pid: ${pid.pid}\n`);
    return 0;
  }
  if (pid.state === 'stale') await removeStalePidFile(d.pidFs, pid.file, d.procRoot);
  const req: StartRequest = {
    configArg: o.configArg,
    configFile: file,
    config,
    debug: o.debug,
    dryRun: o.dryRun === true,
  };
  if (o.debug || config.global.supervised || d.forceSupervised === true) return d.runForeground(req);
  const outcome = await d.startDaemon(req);
  if (outcome.ok) {
    d.stderr(`ldirectord for ${file} started with pid: ${outcome.pid}\n`);
    return 0;
  }
  d.stderr(`ldirectord for ${file} failed to start: ${outcome.message}\n`);
  return outcome.exitCode;
}

export async function runAction(
  action: Action,
  options: ActionOptions,
  deps: ActionDeps = systemActionDeps(),
): Promise<number> {
  const d = deps;
  const p = await prepare(action, options, d);
  if (!p.ok) return p.exitCode;
  const { file, pid } = p;
  if (action === 'stop') return stop(file, pid, d);
  const config = p.config;
  if (config === undefined) {
    if (action === 'status') d.stderr(statusLine(file, pid));
    return 2;
  }

  switch (action) {
    case 'start':
      return start(options, file, config, pid, d);
    case 'restart':
    case 'try-restart': {
      if (action === 'try-restart' && pid.state !== 'running') return 0;
      const stopped = await stop(file, pid, d);
      if (stopped !== 0) return stopped;
      return start(options, file, config, { state: 'stopped', file: pid.file }, d);
    }
    case 'reload':
    case 'force-reload':
      if (pid.state !== 'running') {
        d.stderr(`ldirectord is stopped for ${file}\n`);
        return 1;
      }
      d.kill(pid.pid, 'SIGHUP');
      d.stderr(
        `ldirectord for ${file} (pid ${pid.pid}) asked to reload its configuration (checked: valid); its log says when it is applied\n`,
      );
      return 0;
    case 'status':
      if (pid.state === 'running') {
        d.stderr(`ldirectord for ${file} is running with pid: ${pid.pid}\n`);
        const table = await d.statusTable?.(config);
        if (table?.ok === true) d.stdout(table.text);
        else if (table?.ok === false) d.stderr(`${table.message}\n`);
        for (const value of config.global.execute) await d.execute(value, 'status');
        return 0;
      }
      if (pid.state === 'stale') {
        d.stderr(`ldirectord stale pid file ${pid.file} for ${file}\n`);
        d.stdout(`ldirectord is stopped for ${file}\n`);
        return 1;
      }
      d.stdout(`ldirectord is stopped for ${file}\n`);
      return 3;
  }
  return 255;
}
