// The logger every part of the daemon writes to. A Logger is a thin front over one LogSink (where lines go,
// docs/behaviour.md §1.6); the wording of the lines lives in messages.ts.

import { burstClock } from './burst-clock';

export type LogLevel = 'info' | 'warn' | 'error' | 'debug';

export interface LogRecord {
  readonly level: LogLevel;
  /** Debug verbosity (1..3) for level 'debug'; 0 otherwise. */
  readonly debugLevel: number;
  readonly message: string;
  /** Clock time in ms (epoch). */
  readonly at: number;
}

/** Where records go: stderr, stdout, a file, syslog, or memory in tests. Never throws. */
export interface LogSink {
  write(record: LogRecord): void;
  /** Flush and release what the sink holds (child processes, descriptors). Safe to call twice. */
  close(): Promise<void>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Shown only when `level` <= the logger's debug verbosity (`-d` gives 3). */
  debug(level: number, message: string): void;
}

export interface LoggerOptions {
  readonly sink: LogSink;
  /** 0 = no debug lines (the default). */
  readonly debugLevel?: number;
  readonly now?: () => number;
}

export function createLogger(options: LoggerOptions): Logger {
  const { sink } = options;
  const verbosity = options.debugLevel ?? 0;
  const now = options.now ?? burstClock();
  const emit = (level: LogLevel, message: string, debugLevel = 0): void => {
    sink.write({ level, debugLevel, message, at: now() });
  };
  return {
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m) => emit('error', m),
    debug: (level, m) => {
      if (level <= verbosity) emit('debug', m, level);
    },
  };
}

/** A sink that keeps records in memory (tests, the status page's recent-log view). */
export interface MemorySink extends LogSink {
  readonly records: LogRecord[];
  messages(): string[];
}

export function createMemorySink(): MemorySink {
  const records: LogRecord[] = [];
  return {
    records,
    write: (r) => void records.push(r),
    messages: () => records.map((r) => r.message),
    close: async () => undefined,
  };
}
