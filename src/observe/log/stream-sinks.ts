// The foreground destinations of docs/behaviour.md §1.6:
//   -d            stderr, `[ctime] message` (debug lines `[ctime] DEBUGn: message`); the Perl ldirectord prints
//                 the bare message here: the timestamp is a documented difference (docs/compat.md)
//   supervised    stdout, `[ctime] message`
//   (plain)       stderr, the bare message: before a config is loaded, and for test harnesses
// Both write through a guarded stream (guarded-stream.ts): when the reader goes away the sink stops writing,
// counts what it drops and says so once on the other standard stream; it never buffers without bound. The
// lines of one burst go out in one write (line-batch.ts). Tests may give a plain writer instead of the
// process's stream.

import { ctime } from './ctime';
import { guardStream, type GuardedStream, type WritableLike } from './guarded-stream';
import type { LogRecord, LogSink } from './logger';

export type WriteLine = (text: string) => void;

export interface StreamSink extends LogSink {
  /** Lines dropped because the stream was closed or full. */
  dropped(): number;
}

function debugPrefix(r: LogRecord): string {
  return r.level === 'debug' ? `DEBUG${r.debugLevel}: ` : '';
}

type Format = (r: LogRecord) => string;
const stamped: Format = (r) => `[${ctime(r.at)}] ${debugPrefix(r)}${r.message}\n`;
const plain: Format = (r) => `${debugPrefix(r)}${r.message}\n`;

/** `-d`: `[ctime] message` on stderr. */
export function createDebugSink(write?: WriteLine | WritableLike, other: WritableLike = process.stdout): StreamSink {
  return streamSink('stderr', write ?? process.stderr, other, stamped);
}

/** Plain messages on stderr (before a config is loaded; test harnesses). */
export function createStderrSink(write?: WriteLine | WritableLike, other: WritableLike = process.stdout): StreamSink {
  return streamSink('stderr', write ?? process.stderr, other, plain);
}

/** `supervised=yes`: `[ctime] message` on stdout. */
export function createStdoutSink(write?: WriteLine | WritableLike, other: WritableLike = process.stderr): StreamSink {
  return streamSink('stdout', write ?? process.stdout, other, stamped);
}

function streamSink(name: string, target: WriteLine | WritableLike, other: WritableLike, line: Format): StreamSink {
  if (typeof target === 'function') {
    return { write: (r) => safe(target, line(r)), dropped: () => 0, close: async () => undefined };
  }
  // The report goes to the other standard stream, guarded too (it may be closed as well).
  const elsewhere = guardStream(other, { name: name === 'stderr' ? 'stdout' : 'stderr' });
  const g: GuardedStream = guardStream(target, { name, report: (t) => elsewhere.write(t), batch: true });
  return {
    write: (r) => g.write(line(r)),
    dropped: () => g.dropped(),
    close: async () => {
      g.close();
      elsewhere.close();
    },
  };
}

function safe(write: WriteLine, text: string): void {
  try {
    write(text);
  } catch {
    // A writer that throws must not take the daemon down; there is nowhere left to report it.
  }
}
