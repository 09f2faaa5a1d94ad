// autoreload and callback (docs/behaviour.md §4.5): poll the config file's mtime; when it moved, hash the content;
// when a previously recorded digest differs, log the change, reload if autoreload=yes, and run the callback
// (if set and executable) with the config path. The first observation only records. Clock and filesystem are
// injected; nothing here reads the wall clock or touches a real file by itself.

import { createHash } from 'node:crypto';
import type { Clock } from '../health/types';
import type { Logger } from './process/collaborators';

export interface WatchFs {
  stat(file: string): Promise<{ mtimeMs: number }>;
  readFile(file: string): Promise<Buffer>;
}

export interface WatchSettings {
  readonly autoreload: boolean;
  readonly callback?: string;
}

export type WatchOutcome = 'unchanged' | 'recorded' | 'changed' | 'unreadable';

export interface ConfigWatchOptions {
  readonly file: string;
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly fs: WatchFs;
  readonly logger: Logger;
  /** Read at every change, so a reload that switches autoreload/callback takes effect at once. */
  readonly settings: () => WatchSettings;
  readonly reload: () => void;
  /** Runs `callback <file>`; settles when it has exited (bounded in time by the runner), or was found not executable. */
  readonly runCallback: (callback: string, file: string) => Promise<void>;
}

export interface ConfigWatch {
  start(): void;
  /** Stops polling; resolves when a poll in flight (and the callback it runs) has finished. */
  stop(): Promise<void>;
  /** One poll, as the timer does it; exposed for tests and for a check right after a reload. */
  poll(): Promise<WatchOutcome>;
}

export function createConfigWatch(o: ConfigWatchOptions): ConfigWatch {
  let mtime: number | undefined;
  let digest: string | undefined;
  let timer: unknown;
  let running = false;
  let inFlight: Promise<WatchOutcome> | undefined;
  let lastError: string | undefined;

  const pollOnce = async (): Promise<WatchOutcome> => {
    let stat: { mtimeMs: number };
    let content: Buffer;
    try {
      stat = await o.fs.stat(o.file);
      if (stat.mtimeMs === mtime) return 'unchanged';
      content = await o.fs.readFile(o.file);
    } catch (e) {
      const msg = `Configuration file '${o.file}' cannot be read for autoreload: ${(e as Error).message}`;
      if (msg !== lastError) o.logger.warn(msg);
      lastError = msg;
      return 'unreadable';
    }
    lastError = undefined;
    mtime = stat.mtimeMs;
    const next = createHash('md5').update(content).digest('hex');
    const previous = digest;
    digest = next;
    if (previous === undefined) return 'recorded';
    if (previous === next) return 'unchanged';
    const settings = o.settings();
    o.logger.info(
      `Configuration file '${o.file}' has changed on disk` +
        (settings.autoreload ? ' - reread new configuration' : ' - ignore new configuration'),
    );
    if (settings.autoreload) o.reload();
    if (settings.callback !== undefined && settings.callback !== '') {
      await o.runCallback(settings.callback, o.file).catch((e: unknown) => {
        o.logger.error(`callback ${settings.callback} failed: ${(e as Error).message}`);
      });
    }
    return 'changed';
  };

  const poll = (): Promise<WatchOutcome> => {
    inFlight ??= pollOnce().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const schedule = (): void => {
    if (!running) return;
    timer = o.clock.setTimeout(() => {
      void poll().finally(schedule);
    }, o.intervalMs);
  };

  return {
    start() {
      if (running) return;
      running = true;
      void poll().finally(schedule);
    },
    async stop() {
      running = false;
      if (timer !== undefined) o.clock.clearTimeout(timer);
      timer = undefined;
      await inFlight?.catch(() => undefined);
    },
    poll,
  };
}
