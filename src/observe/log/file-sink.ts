// `logfile="/abs/path"` (docs/behaviour.md §1.6): every message is appended as `[ctime|CFGNAME|pid] message` with the
// file opened and closed per line, as the original does, so logrotate can move the file at any time with no
// signal (the next line creates a fresh file). If the append fails, the line goes to the fallback writer
// (stderr), prefixed with the reason, and the daemon carries on.

import * as nodeFs from 'node:fs';
import { ctime } from './ctime';
import { guardStream } from './guarded-stream';
import type { LogSink } from './logger';
import type { WriteLine } from './stream-sinks';

export interface FileSinkOptions {
  readonly path: string;
  /** Basename of the config argument as typed (`ldirectord` when none was given). */
  readonly cfgName: string;
  readonly pid?: number;
  readonly appendFileSync?: (path: string, data: string) => void;
  readonly fallback?: WriteLine;
}

export function createFileSink(options: FileSinkOptions): LogSink {
  const append = options.appendFileSync ?? ((p: string, d: string) => nodeFs.appendFileSync(p, d, { mode: 0o640 }));
  const pid = options.pid ?? process.pid;
  // stderr may be closed too (guarded-stream.ts): its failure must not become an uncaught exception.
  const guarded = options.fallback === undefined ? guardStream(process.stderr, { name: 'stderr' }) : undefined;
  const fallback = options.fallback ?? ((t: string) => guarded?.write(t));
  return {
    write: (r) => {
      const prefix = r.level === 'debug' ? `DEBUG${r.debugLevel}: ` : '';
      const line = `[${ctime(r.at)}|${options.cfgName}|${pid}] ${prefix}${r.message}\n`;
      try {
        append(options.path, line);
      } catch (e) {
        try {
          fallback(`cannot write log file ${options.path}: ${(e as Error).message}: ${prefix}${r.message}\n`);
        } catch {
          // nowhere left to report
        }
      }
    },
    close: async () => guarded?.close(),
  };
}
