// Picks the log destination exactly as reference §1.6 does:
//   -d (debug)            → stderr, plain
//   supervised=yes        → stdout, `[ctime] msg`
//   logfile = /abs/path   → that file, `[ctime|CFGNAME|pid] msg`, opened per message
//   logfile = facility    → syslog through `logger`

import { createFileSink } from './file-sink';
import type { LogSink } from './logger';
import { createStderrSink, createStdoutSink } from './stream-sinks';
import { createSyslogSink } from './syslog-sink';

export interface DestinationOptions {
  readonly debug: boolean;
  readonly supervised: boolean;
  /** The config's logfile value (default `/var/log/ldirectord.log`). */
  readonly logfile: string;
  readonly cfgName: string;
  readonly pid?: number;
}

/** Throws SyslogFacilityError (code LOG_BAD_FACILITY) when logfile is neither a path nor a facility. */
export function createLogSink(o: DestinationOptions): LogSink {
  if (o.debug) return createStderrSink();
  if (o.supervised) return createStdoutSink();
  if (o.logfile.startsWith('/')) return createFileSink({ path: o.logfile, cfgName: o.cfgName, pid: o.pid });
  return createSyslogSink({ facility: o.logfile, pid: o.pid });
}
