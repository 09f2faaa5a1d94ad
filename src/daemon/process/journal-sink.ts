// Log lines for journald (systemd.exec(5), SyslogLevelPrefix=): under a unit whose standard output is the
// journal (JOURNAL_STREAM is set), each line goes to stdout with its syslog priority as a `<N>` prefix —
// error <3>, warning <4>, info <6>, debug <7> — and without a timestamp (the journal keeps its own). A
// message of several lines gets the prefix on every line, so none of them is filed at the default priority.
// The configured logfile= is not written in this mode: every line is in the journal (docs/deployment.md).

import type { LogLevel, LogRecord } from '../../observe/log/logger';
import type { StreamSink, WriteLine } from '../../observe/log/stream-sinks';
import { guardStream, type WritableLike } from '../../observe/log/guarded-stream';

export const JOURNAL_PRIORITY: Readonly<Record<LogLevel, number>> = { error: 3, warn: 4, info: 6, debug: 7 };

/** The text journald gets for one record. */
export function journalLines(r: LogRecord): string {
  const prefix = `<${JOURNAL_PRIORITY[r.level]}>`;
  const debug = r.level === 'debug' ? `DEBUG${r.debugLevel}: ` : '';
  return `${r.message
    .split(/\r?\n/)
    .map((line, i) => `${prefix}${i === 0 ? debug : ''}${line}`)
    .join('\n')}\n`;
}

/** True when the process runs under systemd with its output connected to the journal. */
export function underJournal(env: NodeJS.ProcessEnv): boolean {
  return typeof env.JOURNAL_STREAM === 'string' && env.JOURNAL_STREAM !== '';
}

/** The journal sink on stdout; the first dropped line (stdout gone or full) is reported once on stderr. */
export function createJournalSink(
  write?: WriteLine,
  target: WritableLike = process.stdout,
  other: WritableLike = process.stderr,
): StreamSink {
  if (write !== undefined) {
    return {
      write: (r) => {
        try {
          write(journalLines(r));
        } catch {
          /* nowhere left to report it */
        }
      },
      dropped: () => 0,
      close: async () => undefined,
    };
  }
  const elsewhere = guardStream(other, { name: 'stderr' });
  const g = guardStream(target, { name: 'stdout', report: (t) => elsewhere.write(`<4>${t}`), batch: true });
  return {
    write: (r) => g.write(journalLines(r)),
    dropped: () => g.dropped(),
    close: async () => {
      g.close();
      elsewhere.close();
    },
  };
}
