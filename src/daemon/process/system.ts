// The composition root of the process layer: binds runDaemon's collaborators to the real system (files,
// signals, timers, child processes, SMTP sockets, the config loader, the log sinks). Everything here is a thin
// binding; the behaviour lives in the modules it wires.

import { spawn } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import { loadConfig } from '../../config/load';
import { systemClock } from '../system-clock';
import type { Config } from '../../model/config';
import { createLogSink } from '../../observe/log/destination';
import { createLogger, type LogSink } from '../../observe/log/logger';
import { createStderrSink } from '../../observe/log/stream-sinks';
import type { AlertTransport } from '../alerts/alerter';
import { sendViaSendmail } from '../alerts/sendmail';
import { sendSmtp } from '../alerts/smtp';
import { configName } from '../pidfile';
import { readRegularFile } from './config-files';
import { createExecuteRunner } from './execute';
import type { DirectorFactory, Logger, Readiness } from './collaborators';
import type { DaemonRunDeps } from './run-daemon';
import type { Command } from './self-command';

export const SMTP_PORT = 25;
export const MAIL_TIMEOUT_MS = 30_000;

export { systemClock } from '../system-clock';

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'ldirectord');
  }
}

/** Runs `<callback> <config path>` through the shell if the callback file is executable (reference §2.2). */
export async function runCallback(callback: string, file: string): Promise<void> {
  const program = callback.trim().split(/\s+/)[0] ?? '';
  await fs.access(program, fsConstants.X_OK);
  const child = spawn('/bin/sh', ['-c', `${callback} "$1"`, 'sh', file], { stdio: 'ignore', detached: false });
  child.on('error', () => undefined);
}

export function systemAlertTransport(hostname: string, smtpPort = SMTP_PORT): AlertTransport {
  return {
    smtp: (host, message) => sendSmtp(message, { host, port: smtpPort, helo: hostname, timeoutMs: MAIL_TIMEOUT_MS }),
    sendmail: (message) => sendViaSendmail(spawn, message, MAIL_TIMEOUT_MS),
  };
}

/** The log sink for a config, replacing (and closing) the previous one. */
function loggerFactory(o: { debug: boolean; foreground: boolean; configArg?: string }): (config: Config | undefined) => Logger {
  let sink: LogSink | undefined;
  return (config) => {
    let next: LogSink;
    try {
      next = config === undefined
        ? createStderrSink()
        : createLogSink({
          debug: o.debug,
          supervised: o.foreground && !o.debug,
          logfile: config.global.logfile,
          cfgName: configName(o.configArg),
          pid: process.pid,
        });
    } catch (e) {
      next = createStderrSink();
      next.write({ level: 'error', debugLevel: 0, message: `log destination: ${(e as Error).message}`, at: Date.now() });
    }
    const previous = sink;
    sink = next;
    void previous?.close();
    return createLogger({ sink: next, debugLevel: o.debug ? 3 : 0 });
  };
}

export interface SystemDepsOptions {
  readonly debug: boolean;
  readonly foreground: boolean;
  readonly dryRun: boolean;
  readonly configArg?: string;
  readonly createDirector: DirectorFactory;
  readonly readiness: Readiness;
  /** `this ldirectord`, for execute= sub-instances. */
  readonly self: Command | undefined;
}

/** The daemon's collaborators, and a logger that always writes to the daemon's current log destination. */
export function systemDaemonDeps(o: SystemDepsOptions): DaemonRunDeps & { readonly log: Logger } {
  const hostname = os.hostname();
  const createLog = loggerFactory(o);
  let current: Logger | undefined;
  const createLoggerTracked = (config: Config | undefined): Logger => {
    current = createLog(config);
    return current;
  };
  const proxyLogger: Logger = {
    info: (m) => current?.info(m), warn: (m) => current?.warn(m), error: (m) => current?.error(m),
    debug: (l, m) => current?.debug(l, m),
  };
  return {
    log: proxyLogger,
    pid: process.pid,
    config: { load: (file) => loadConfig(file, { readFile: readRegularFile }) },
    createDirector: o.createDirector,
    createLogger: createLoggerTracked,
    readiness: o.readiness,
    signals: process,
    clock: systemClock,
    pidFs: {
      readFile: (f, e) => fs.readFile(f, e),
      writeFile: (f, d, opt) => fs.writeFile(f, d, opt),
      rename: (a, b) => fs.rename(a, b),
      unlink: (f) => fs.unlink(f),
    },
    watchFs: { stat: (f) => fs.stat(f), readFile: (f) => fs.readFile(f) },
    appendFile: (f, d) => fs.appendFile(f, d),
    runCallback,
    alertTransport: systemAlertTransport(hostname),
    hostname,
    user: safeUser(),
    execute: createExecuteRunner({
      self: o.self, flags: o.dryRun ? ['--dry-run'] : [], spawn, logger: proxyLogger, timeoutMs: 60_000,
    }),
  };
}
