// Writing log lines to a stream the daemon does not control (its stdout or stderr): the reader may go away at
// any time (the terminal closed, `ldirectord -d … | head`, a supervisor that died). Without care every write
// then fails with EPIPE, the failure is reported through the same stream, and the daemon spins, buffers
// without bound and never gets to its stop. A guarded stream:
//   - stops writing for good at the stream's first error (or once it is destroyed) and counts what it drops;
//   - never holds more than `maxBuffered` bytes in the stream's buffer (a reader that stopped reading): lines
//     beyond that are dropped and counted, never queued;
//   - reports the first drop once, through `report` (another destination), never through itself;
//   - detaches its listeners on close(), so a sink made per reload leaves nothing behind;
//   - with `batch`, writes the lines of one burst in one write (line-batch.ts), the bound counting them.

import { batchLines, type LineBatch } from './line-batch';

export interface WritableLike {
  write(chunk: string): boolean;
  on(event: 'error', listener: (e: Error) => void): unknown;
  off(event: 'error', listener: (e: Error) => void): unknown;
  readonly writableLength?: number;
  readonly destroyed?: boolean;
}

export interface GuardedStreamOptions {
  /** What the stream is, for the report (`stderr`). */
  readonly name: string;
  /** Bytes the stream may hold unwritten before lines are dropped (default 1 MiB). */
  readonly maxBuffered?: number;
  /** Where the first drop is reported, once. Must not be this stream. Errors it throws are ignored. */
  readonly report?: (line: string) => void;
  /** Lines of one burst in one write (the daemon's own stdout and stderr); default: a write per line. */
  readonly batch?: boolean;
}

export interface GuardedStream {
  write(text: string): void;
  /** Lines dropped so far. */
  dropped(): number;
  /** Why lines are dropped (`EPIPE`, `full`), or undefined while all is written. */
  broken(): string | undefined;
  close(): void;
}

export const DEFAULT_MAX_BUFFERED = 1024 * 1024;

export function guardStream(stream: WritableLike, o: GuardedStreamOptions): GuardedStream {
  const max = o.maxBuffered ?? DEFAULT_MAX_BUFFERED;
  let closedBy: string | undefined;
  let dropped = 0;
  let reported = false;
  const report = (why: string): void => {
    if (reported) return;
    reported = true;
    try {
      o.report?.(`ldirectord: ${o.name} ${why}: log lines to ${o.name} are dropped\n`);
    } catch {
      // nowhere left to report
    }
  };
  /** Counts `lines` lines as dropped (a batch's text holds several) and reports why, once. */
  const drop = (why: string, lines = 1): void => {
    dropped += lines;
    report(why);
  };
  const onError = (e: Error): void => {
    closedBy ??= (e as NodeJS.ErrnoException).code ?? e.message;
    report(`closed (${closedBy})`);
  };
  stream.on('error', onError);
  const lines = (text: string): number => Math.max(1, text.split('\n').length - 1);
  const put = (text: string): void => {
    if (closedBy !== undefined) return drop(`closed (${closedBy})`, lines(text));
    try {
      stream.write(text);
    } catch (e) {
      onError(e as Error);
      drop(`closed (${closedBy})`, lines(text));
    }
  };
  const batch: LineBatch | undefined = o.batch === true ? batchLines(put) : undefined;
  return {
    write: (text) => {
      if (closedBy === undefined && stream.destroyed === true) closedBy = 'destroyed';
      if (closedBy !== undefined) return drop(`closed (${closedBy})`);
      if ((stream.writableLength ?? 0) + (batch?.pending() ?? 0) + text.length > max)
        return drop(`full (its reader takes nothing; ${max} bytes waiting)`);
      if (batch === undefined) put(text);
      else batch.write(text);
    },
    dropped: () => dropped,
    broken: () => closedBy,
    close: () => {
      batch?.close();
      stream.off('error', onError);
      // Errors still on their way (a write issued just before) must not become uncaught exceptions. One shared
      // listener, removed before it is added, so sinks made per reload do not pile listeners up.
      stream.off('error', ignore);
      stream.on('error', ignore);
    },
  };
}

function ignore(): void {
  // a closed sink's stream: nothing to do
}
