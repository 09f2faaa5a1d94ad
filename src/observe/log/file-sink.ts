// `logfile="/abs/path"` (docs/behaviour.md §1.6): every message is appended as `[ctime|CFGNAME|pid] message` with the
// file opened and closed per append, as the original does per line, so logrotate can move the file at any time
// with no signal (the next append creates a fresh file). The lines of one burst are appended together
// (line-batch.ts). If the append fails, each line goes to the fallback writer (stderr), prefixed with the
// reason, and the daemon carries on.

import * as nodeFs from 'node:fs';
import { ctime } from './ctime';
import { guardStream } from './guarded-stream';
import { batchLines } from './line-batch';
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
  const appendBurst = (text: string): void => {
    try {
      append(options.path, text);
    } catch (e) {
      for (const line of text.split(/(?<=\n)/)) {
        try {
          fallback(`cannot write log file ${options.path}: ${(e as Error).message}: ${line}`);
        } catch {
          // nowhere left to report
        }
      }
    }
  };
  const batch = batchLines(appendBurst);
  return {
    write: (r) => {
      const prefix = r.level === 'debug' ? `DEBUG${r.debugLevel}: ` : '';
      batch.write(`[${ctime(r.at)}|${options.cfgName}|${pid}] ${prefix}${r.message}\n`);
    },
    close: async () => {
      batch.close();
      await guarded?.close();
    },
  };
}
