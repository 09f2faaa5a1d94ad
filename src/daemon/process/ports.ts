// What the process layer needs from its collaborators, as small interfaces: the config loader (src/config),
// the running director (src/daemon/director.ts), a logger, and the readiness channel back to the CLI that
// started a daemon. The composition roots (defaults.ts, daemon-main.ts) bind them to the real modules; tests
// pass fakes.

import type { Config, DaemonState, Diagnostic } from '../../model/config';
import type { Logger } from '../../observe/log/logger';
import type { DirectorEventSink } from '../alerts/events';

export type LoadResult =
  | { readonly ok: true; readonly config: Config; readonly warnings?: readonly Diagnostic[] }
  | { readonly ok: false; readonly errors: readonly Diagnostic[]; readonly warnings: readonly Diagnostic[] };

export interface ConfigSource {
  /** Reference §1.2 lookup (/etc/ha.d/NAME, /etc/ha.d/conf/NAME, NAME); undefined when not found. */
  find(configArg: string): string | undefined;
  load(file: string): Promise<LoadResult>;
}

export type { Logger } from '../../observe/log/logger';

/** The running director as the process layer drives it. */
export interface DirectorLike {
  /** Apply a new, valid configuration (reload). Rejects if it could not be applied. */
  reload(load: LoadResult & { ok: true }): Promise<void>;
  /** Graceful stop: cleanstop purge etc. Safe to call twice. */
  stop(): Promise<void>;
}

export interface DirectorStartOptions {
  readonly config: Config;
  readonly dryRun: boolean;
  readonly logger: Logger;
  /** The daemon's state, for anything that reports it (emailalertstatus). */
  readonly state: () => DaemonState;
  /** Where the director reports server changes and check results (alerts, monitor file), from its first pass. */
  readonly events: DirectorEventSink;
  /** Where operator overrides (drain, maintenance) are kept across restarts; absent: in memory only. */
  readonly overridesFile?: string;
}

/** Resolves once the virtual services are programmed; rejects with the reason otherwise. */
export type DirectorFactory = (options: DirectorStartOptions) => Promise<DirectorLike>;

/** The channel from a detached daemon back to the CLI process waiting for it (no-op in the foreground). */
export interface Readiness {
  ready(pid: number): void;
  failed(exitCode: number, message: string): void;
}

export const NO_READINESS: Readiness = { ready: () => undefined, failed: () => undefined };
