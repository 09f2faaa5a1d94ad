// Nothing crashes the daemon: an unexpected exception is logged and turned into a graceful stop (TERM to
// itself, so the cleanup runs); an unhandled rejection is logged. Returns the function that removes the guard.

import type { Logger } from './collaborators';

export interface GuardedProcess {
  readonly pid: number;
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (e: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (e: unknown) => void): unknown;
  kill(pid: number, signal: NodeJS.Signals): unknown;
}

const describe = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));

export function guardProcess(proc: GuardedProcess, log: Logger): () => void {
  let stopping = false;
  const onException = (e: unknown): void => {
    log.error(`unexpected error${stopping ? '' : ', stopping'}: ${describe(e)}`);
    if (stopping) return;
    stopping = true;
    proc.kill(proc.pid, 'SIGTERM');
  };
  const onRejection = (e: unknown): void => {
    log.error(`unhandled rejection: ${describe(e)}`);
  };
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
