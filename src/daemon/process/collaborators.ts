// What the process layer needs from its collaborators, as small interfaces: the config loader (src/config),
// the running director (src/daemon/director.ts behind process/director-starter.ts), a logger, and the readiness
// channel back to the CLI that started a daemon. The composition root (process/system.ts) binds them to the
// real modules; tests pass fakes.

import type { LoadResult } from '../../config/load';
import type { Config, DaemonState, Diagnostic } from '../../model/config';
import type { Logger } from '../../observe/log/logger';
import type { ServerEventSink } from '../alerts/events';

/** The one result of loading a configuration: src/config/load.ts's. */
export type { LoadResult } from '../../config/load';
export type { Logger } from '../../observe/log/logger';

/** The warnings of a load, whichever way it went: a good config carries them (`config.warnings`). */
export function warningsOf(r: LoadResult): readonly Diagnostic[] {
  return r.ok ? r.config.warnings : r.warnings;
}

export interface ConfigSource {
  /** The lookup of docs/compat.md (/etc/ha.d/NAME, /etc/ha.d/conf/NAME, NAME); undefined when not found. */
  find(configArg: string): string | undefined;
  load(file: string): Promise<LoadResult>;
}

/** The running director as the process layer drives it. */
export interface DirectorControl {
  /**
   * Every reload goes through here, good or bad: a good config is applied (resolves true; rejects if it could
   * not be applied), a rejected one is logged with every error and counted
   * (`ldirectord_config_reloads_total{result="failure"}`) and the running config kept (resolves false).
   */
  reload(load: LoadResult): Promise<boolean>;
  /** Graceful stop: cleanstop purge etc. Safe to call twice. */
  stop(): Promise<void>;
}

export interface DirectorRequest {
  readonly config: Config;
  readonly dryRun: boolean;
  readonly logger: Logger;
  /** The daemon's state, for anything that reports it (emailalertstatus). */
  readonly state: () => DaemonState;
  /** Where the director reports server changes and check results (alerts, monitor file), from its first pass. */
  readonly events: ServerEventSink;
  /** Where operator overrides (drain, maintenance) are kept across restarts; absent: in memory only. */
  readonly overridesFile?: string;
}

/** Resolves once the virtual services are programmed; rejects with the reason otherwise. */
export type DirectorStarter = (options: DirectorRequest) => Promise<DirectorControl>;

/** The channel from a detached daemon back to the CLI process waiting for it (no-op in the foreground). */
export interface Readiness {
  ready(pid: number): void;
  failed(exitCode: number, message: string): void;
  /** A reload (signal or autoreload) begins; `reloaded` follows once it is applied or dropped. */
  reloading?(): void;
  reloaded?(): void;
  /** A stop begins (before the cleanup). */
  stopping?(): void;
}

export const NO_READINESS: Readiness = { ready: () => undefined, failed: () => undefined };
