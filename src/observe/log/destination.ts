// Picks the log destination as docs/behaviour.md §1.6 does:
//   -d (debug)            → stderr, `[ctime] msg` (the Perl ldirectord: the bare message)
//   supervised=yes        → stdout, `[ctime] msg`
//   logfile = /abs/path   → that file, `[ctime|CFGNAME|pid] msg`, opened per message
//   logfile = facility    → syslog through `logger`
// As in the Perl ldirectord, `-d` wins over `logfile=`: everything goes to stderr and the logfile is not
// written. Unlike it, a config that names another logfile than the default gets one line saying so at the top
// of the -d output, so nobody looks for the lines in the file (docs/compat.md, Logging).

import { createFileSink } from './file-sink';
import type { LogSink } from './logger';
import { createDebugSink, createStdoutSink } from './stream-sinks';
import { createSyslogSink } from './syslog-sink';

export const DEFAULT_LOGFILE = '/var/log/ldirectord.log';

export interface DestinationOptions {
  readonly debug: boolean;
  readonly supervised: boolean;
  /** The config's logfile value (default `/var/log/ldirectord.log`). */
  readonly logfile: string;
  readonly cfgName: string;
  readonly pid?: number;
  readonly now?: () => number;
}

/** Throws SyslogFacilityError (code LOG_BAD_FACILITY) when logfile is neither a path nor a facility. */
export function createLogSink(o: DestinationOptions): LogSink {
  if (o.debug) {
    const sink = createDebugSink();
    const note = debugLogfileNote(o.logfile);
    if (note !== undefined) sink.write({ level: 'info', debugLevel: 0, message: note, at: (o.now ?? Date.now)() });
    return sink;
  }
  if (o.supervised) return createStdoutSink();
  if (o.logfile.startsWith('/')) return createFileSink({ path: o.logfile, cfgName: o.cfgName, pid: o.pid });
  return createSyslogSink({ facility: o.logfile, pid: o.pid });
}

/** The line `-d` starts with when the config names a logfile other than the default, else undefined. */
export function debugLogfileNote(logfile: string): string | undefined {
  if (logfile === DEFAULT_LOGFILE) return undefined;
  return `-d: logging to stderr; logfile="${logfile}" is not written in -d mode (as ldirectord)`;
}
