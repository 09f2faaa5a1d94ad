// The foreground destinations of reference §1.6:
//   -d            stderr, the bare message (debug lines prefixed `DEBUGn: `)
//   supervised    stdout, `[ctime] message`
// Both write synchronously-ordered lines through an injected writer (process.stderr.write by default).

import { ctime } from './ctime';
import type { LogRecord, LogSink } from './logger';

export type WriteLine = (text: string) => void;

function debugPrefix(r: LogRecord): string {
  return r.level === 'debug' ? `DEBUG${r.debugLevel}: ` : '';
}

/** `-d`: plain messages on stderr. */
export function createStderrSink(write: WriteLine = (t) => void process.stderr.write(t)): LogSink {
  return {
    write: (r) => safe(write, `${debugPrefix(r)}${r.message}\n`),
    close: async () => undefined,
  };
}

/** `supervised=yes`: `[ctime] message` on stdout. */
export function createStdoutSink(write: WriteLine = (t) => void process.stdout.write(t)): LogSink {
  return {
    write: (r) => safe(write, `[${ctime(r.at)}] ${debugPrefix(r)}${r.message}\n`),
    close: async () => undefined,
  };
}

function safe(write: WriteLine, text: string): void {
  try {
    write(text);
  } catch {
    // A closed stdout/stderr (EPIPE) must not take the daemon down; there is nowhere left to report it.
  }
}
