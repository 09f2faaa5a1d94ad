// `logfile="<facility>"` (docs/behaviour.md §1.6): syslog with ident `ldirectord`, the pid, priority info.
//
// Decision: Node has no AF_UNIX SOCK_DGRAM, and /dev/log is a datagram socket on every current syslog daemon
// (journald, rsyslog). We keep ONE long-lived util-linux `logger` child and feed it lines on stdin:
//   logger --id=<our pid> -t ldirectord --prio-prefix [-u <socket>]
// Each line carries its own `<PRI>` (facility*8 + severity), so errors go out as err, debug as debug. One
// process for the life of the daemon, not one per message. If the child dies it is restarted at the next
// line; if it cannot be started the line goes to the fallback writer (stderr). See docs/decisions.

import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { guardStream } from './guarded-stream';
import type { LogLevel, LogSink } from './logger';
import type { WriteLine } from './stream-sinks';

export const FACILITIES: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

const SEVERITY: Record<LogLevel, number> = { error: 3, warn: 4, info: 6, debug: 7 };

export class SyslogFacilityError extends Error {
  readonly code = 'LOG_BAD_FACILITY';
  constructor(facility: string) {
    super(
      `logfile "${facility}": not an absolute path and not a syslog facility (${Object.keys(FACILITIES).join(', ')})`,
    );
    this.name = 'SyslogFacilityError';
  }
}

export type SpawnLogger = (file: string, args: readonly string[]) => ChildProcess;

export interface SyslogSinkOptions {
  readonly facility: string;
  readonly pid?: number;
  /** Another socket than the system's /dev/log (tests). */
  readonly socketPath?: string;
  readonly loggerPath?: string;
  readonly spawn?: SpawnLogger;
  readonly fallback?: WriteLine;
}

/** Throws SyslogFacilityError (code LOG_BAD_FACILITY) for an unknown facility name. */
export function createSyslogSink(options: SyslogSinkOptions): LogSink {
  const facility = FACILITIES[options.facility.toLowerCase()];
  if (facility === undefined) throw new SyslogFacilityError(options.facility);
  const spawn = options.spawn ?? ((f, a) => nodeSpawn(f, [...a], { stdio: ['pipe', 'ignore', 'pipe'] }));
  const guarded = options.fallback === undefined ? guardStream(process.stderr, { name: 'stderr' }) : undefined;
  const fallback = options.fallback ?? ((t: string) => guarded?.write(t));
  const args = [`--id=${options.pid ?? process.pid}`, '-t', 'ldirectord', '--prio-prefix'];
  if (options.socketPath !== undefined) args.push('-u', options.socketPath);
  let child: ChildProcess | undefined;
  let closed = false;

  const start = (): ChildProcess | undefined => {
    try {
      const c = spawn(options.loggerPath ?? 'logger', args);
      c.on('error', (e) => {
        if (child === c) child = undefined;
        fallback(`syslog: cannot run logger: ${e.message}\n`);
      });
      c.on('exit', () => {
        if (child === c) child = undefined;
      });
      c.stdin?.on('error', () => undefined);
      return c;
    } catch (e) {
      fallback(`syslog: cannot run logger: ${(e as Error).message}\n`);
      return undefined;
    }
  };

  return {
    write: (r) => {
      const text = r.level === 'debug' ? `DEBUG${r.debugLevel}: ${r.message}` : r.message;
      if (closed) return fallback(`${text}\n`);
      child ??= start();
      const stdin = child?.stdin;
      if (!stdin || stdin.destroyed) return fallback(`${text}\n`);
      stdin.write(`<${facility * 8 + SEVERITY[r.level]}>${text.replace(/[\r\n]+/g, ' ')}\n`);
    },
    close: async () => {
      closed = true;
      guarded?.close();
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.stdin?.end();
      });
    },
  };
}
