// The systemd notify protocol (sd_notify(3)) for a daemon run by a `Type=notify` unit
// (docs/decisions/011-systemd.md): READY=1 once the virtual services are programmed, RELOADING=1 … READY=1
// around a reload, STOPPING=1 when a stop begins. Node has no unix datagram sockets, so each message is one run
// of `systemd-notify` (the unit needs NotifyAccess=all: the sender is a child of the main process). Messages
// are sent one after the other, in order; a run that does not finish within its bound is killed and the next
// goes on, so the daemon never waits on the service manager.

import type { Readiness } from './collaborators';

export const SYSTEMD_NOTIFY = '/usr/bin/systemd-notify';
/** The bound of one `systemd-notify` run (it waits for the manager to take the message). */
export const NOTIFY_TIMEOUT_MS = 10_000;

export interface NotifyChild {
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  kill(signal: NodeJS.Signals): unknown;
}

export type NotifySpawn = (file: string, args: readonly string[], env: NodeJS.ProcessEnv) => NotifyChild;

export interface NotifierOptions {
  /** The value of NOTIFY_SOCKET the daemon was started with. */
  readonly socket: string;
  readonly spawn: NotifySpawn;
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
  /** Told when a message could not be sent (the log). */
  readonly onError: (message: string) => void;
  readonly program?: string;
  readonly timeoutMs?: number;
}

export interface Notifier {
  /** Queues one message (its `KEY=VALUE` assignments). */
  send(assignments: readonly string[]): void;
  /** Resolves once every queued message has been sent or abandoned. */
  idle(): Promise<void>;
}

/** A line that is safe as one assignment's value: the protocol is newline-separated. */
export function notifyValue(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 400);
}

export function createNotifier(o: NotifierOptions): Notifier {
  const program = o.program ?? SYSTEMD_NOTIFY;
  const timeoutMs = o.timeoutMs ?? NOTIFY_TIMEOUT_MS;
  let tail: Promise<void> = Promise.resolve();
  const sendOne = (assignments: readonly string[]): Promise<void> =>
    new Promise((resolve) => {
      const what = `systemd notify ${assignments.join(' ')}`;
      let child: NotifyChild;
      try {
        child = o.spawn(program, assignments, { NOTIFY_SOCKET: o.socket, PATH: '/usr/bin:/bin' });
      } catch (e) {
        o.onError(`${what}: ${(e as Error).message}`);
        resolve();
        return;
      }
      let done = false;
      const finish = (problem?: string): void => {
        if (done) return;
        done = true;
        o.clearTimeout(timer);
        if (problem !== undefined) o.onError(`${what}: ${problem}`);
        resolve();
      };
      const timer = o.setTimeout(() => {
        finish(`${program} did not finish within ${timeoutMs / 1000} s`);
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', (e) => finish(e.message));
      child.on('exit', (code) => finish(code === 0 ? undefined : `${program} exited with ${code ?? 'a signal'}`));
    });
  return {
    send: (assignments) => {
      tail = tail.then(() => sendOne(assignments));
    },
    idle: () => tail,
  };
}

/**
 * Readiness as the service manager wants it: `inner` (the IPC channel of a detached daemon, or nothing in the
 * foreground) still hears ready and failed. `monotonicUsec` is CLOCK_MONOTONIC in µs, sent with RELOADING=1
 * (newer systemd uses it to match the reload with its request).
 */
export function notifyReadiness(n: Notifier, monotonicUsec: () => bigint, inner: Readiness): Readiness {
  return {
    ready: (pid) => {
      n.send(['READY=1', 'STATUS=virtual services programmed']);
      inner.ready(pid);
    },
    failed: (exitCode, message) => {
      n.send([`STATUS=${notifyValue(message)}`, `EXIT_STATUS=${exitCode}`]);
      inner.failed(exitCode, message);
    },
    reloading: () => n.send(['RELOADING=1', `MONOTONIC_USEC=${monotonicUsec()}`, 'STATUS=reloading the configuration']),
    reloaded: () => n.send(['READY=1', 'STATUS=virtual services programmed']),
    stopping: () => n.send(['STOPPING=1', 'STATUS=stopping: purging the virtual services']),
  };
}
