// What a foreground daemon takes from a systemd unit's environment (docs/decisions/011-systemd.md):
// NOTIFY_SOCKET → the notify protocol (READY=1, RELOADING=1, STOPPING=1; sd-notify.ts), and JOURNAL_STREAM →
// log lines with journald priority prefixes (journal-sink.ts). NOTIFY_SOCKET is taken out of the environment
// so that children (execute= sub-instances, external checks, fallbackcommand) cannot speak for the unit.

import { spawn } from 'node:child_process';
import { NO_READINESS, type Readiness } from './collaborators';
import { underJournal } from './journal-sink';
import { createNotifier, notifyReadiness, type NotifySpawn } from './sd-notify';

export interface SystemdUnit {
  readonly readiness: Readiness;
  readonly journal: boolean;
  /** Resolves once every notification has been sent (before the process exits). */
  idle(): Promise<void>;
}

export const spawnNotify: NotifySpawn = (file, args, env) => spawn(file, [...args], { env, stdio: 'ignore' });

/** Reads (and for NOTIFY_SOCKET, consumes) the unit's environment. */
export function systemdUnit(env: NodeJS.ProcessEnv, run: NotifySpawn, onError: (message: string) => void): SystemdUnit {
  const journal = underJournal(env);
  const socket = env.NOTIFY_SOCKET;
  if (socket === undefined || socket === '') return { readiness: NO_READINESS, journal, idle: async () => undefined };
  delete env.NOTIFY_SOCKET;
  const notifier = createNotifier({
    socket,
    spawn: run,
    onError,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  });
  return {
    readiness: notifyReadiness(notifier, () => process.hrtime.bigint() / 1000n, NO_READINESS),
    journal,
    idle: () => notifier.idle(),
  };
}
