// The daemon's log destination, which a reload may move (logfile=): `switchTo(config)` opens the new sink,
// closes the previous one and returns a logger on the new one; `logger` always writes to the current one, for
// the parts built once at start (the crash guard, execute=). Owned by the composition root, one per daemon.

import type { Config } from '../../model/config';
import { createLogSink } from '../../observe/log/destination';
import { createLogger, type Logger, type LogSink } from '../../observe/log/logger';
import { createStderrSink } from '../../observe/log/stream-sinks';
import { configName } from '../pidfile';
import { createJournalSink } from './journal-sink';

export interface CurrentLogOptions {
  readonly debug: boolean;
  readonly foreground: boolean;
  readonly configArg?: string;
  readonly pid: number;
  readonly now: () => number;
  /** Foreground under a systemd unit whose output is the journal: every line to stdout with its `<N>` priority
   * prefix, whatever logfile= says (docs/decisions/011-systemd.md). */
  readonly journal?: boolean;
}

export class CurrentLog {
  private sink: LogSink | undefined;
  private current: Logger | undefined;

  /** Writes to the logger switchTo last returned (nothing before the first switch). */
  readonly logger: Logger = {
    info: (m) => this.current?.info(m),
    warn: (m) => this.current?.warn(m),
    error: (m) => this.current?.error(m),
    debug: (l, m) => this.current?.debug(l, m),
  };

  constructor(private readonly o: CurrentLogOptions) {}

  /** The log destination for `config` (stderr before a config is loaded, or when the destination fails). */
  switchTo(config: Config | undefined): Logger {
    const next = this.open(config);
    const previous = this.sink;
    this.sink = next;
    void previous?.close();
    this.current = createLogger({ sink: next, debugLevel: this.o.debug ? 3 : 0 });
    return this.current;
  }

  private open(config: Config | undefined): LogSink {
    if (this.o.journal === true && this.o.foreground && !this.o.debug) return createJournalSink();
    if (config === undefined) return createStderrSink();
    try {
      return createLogSink({
        debug: this.o.debug,
        supervised: this.o.foreground && !this.o.debug,
        logfile: config.global.logfile,
        cfgName: configName(this.o.configArg),
        pid: this.o.pid,
      });
    } catch (e) {
      const fallback = createStderrSink();
      fallback.write({
        level: 'error',
        debugLevel: 0,
        message: `log destination: ${(e as Error).message}`,
        at: this.o.now(),
      });
      return fallback;
    }
  }
}
