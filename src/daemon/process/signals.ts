// Signal wiring for the daemon (docs/behaviour.md §1.5, with §5.2 #23 fixed). TERM, INT and QUIT ask for a graceful
// stop; a repeated one while the stop is under way is logged and the cleanup carries on (the original died on
// the spot, leaving the IPVS table and the pid file behind). HUP asks for a reload. PIPE is ignored.

import type { Logger } from './collaborators';

export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface SignalHandlers {
  /** Called once, with the name without the SIG prefix (`TERM`). */
  stop(signal: string): void;
  reload(): void;
}

/** Installs the handlers; the returned function removes them again. */
export function wireSignals(source: SignalSource, handlers: SignalHandlers, logger: Logger): () => void {
  let stopping = false;
  const installed: Array<[NodeJS.Signals, () => void]> = [];
  const install = (signal: NodeJS.Signals, listener: () => void): void => {
    source.on(signal, listener);
    installed.push([signal, listener]);
  };
  for (const signal of STOP_SIGNALS) {
    install(signal, () => {
      const name = signal.slice(3);
      if (stopping) {
        logger.warn(`Received ${name} while stopping: the cleanup is still running and will finish`);
        return;
      }
      stopping = true;
      handlers.stop(name);
    });
  }
  install('SIGHUP', () => {
    if (stopping) {
      logger.warn('Received HUP while stopping: reload ignored');
      return;
    }
    handlers.reload();
  });
  install('SIGPIPE', () => undefined);
  return () => {
    for (const [signal, listener] of installed) source.off(signal, listener);
    installed.length = 0;
  };
}
