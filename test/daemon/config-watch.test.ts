import { createConfigWatch, type WatchFs } from '../../src/daemon/config-watch';
import { createFakeClock, flushMicrotasksThenImmediate, WALL_CLOCK_START } from '../support/fake-clock';
import { memoryLogger } from './support/memory-logger';

function fakeFs(initial: string): WatchFs & { write(text: string, mtime?: number): void; fail?: Error } {
  let content = initial;
  let mtime = 1000;
  const f = {
    fail: undefined as Error | undefined,
    stat: async () => {
      if (f.fail) throw f.fail;
      return { mtimeMs: mtime };
    },
    readFile: async () => Buffer.from(content),
    write(text: string, at?: number) {
      content = text;
      mtime = at ?? mtime + 1000;
    },
  };
  return f;
}

/** A watch of /etc/ha.d/ldirectord.cf on a fake clock and filesystem; callbacks are recorded unless
 * `runCallback` stands in for the runner. */
function setup(
  settings: { autoreload: boolean; callback?: string },
  runCallback?: (cb: string, file: string) => Promise<void>,
) {
  const clock = createFakeClock({ start: WALL_CLOCK_START });
  const fs = fakeFs('checkinterval=1\n');
  const logger = memoryLogger();
  const reloads: number[] = [];
  const callbacks: Array<[string, string]> = [];
  const watch = createConfigWatch({
    file: '/etc/ha.d/ldirectord.cf',
    intervalMs: 1000,
    clock,
    fs,
    logger,
    settings: () => settings,
    reload: () => {
      reloads.push(clock.now());
    },
    runCallback:
      runCallback ??
      (async (cb, file) => {
        callbacks.push([cb, file]);
      }),
  });
  return { clock, fs, logger, reloads, callbacks, watch };
}

describe('autoreload and callback (docs/behaviour.md §4.5)', () => {
  it('the first observation only records; a content change reloads once', async () => {
    const t = setup({ autoreload: true });
    expect(await t.watch.poll()).toBe('recorded');
    expect(await t.watch.poll()).toBe('unchanged');
    t.fs.write('checkinterval=2\n');
    expect(await t.watch.poll()).toBe('changed');
    expect(t.reloads).toHaveLength(1);
    expect(t.logger.lines).toEqual([
      "info: Configuration file '/etc/ha.d/ldirectord.cf' has changed on disk - reread new configuration",
    ]);
    expect(await t.watch.poll()).toBe('unchanged');
    expect(t.reloads).toHaveLength(1);
  });

  it('a touch without a content change (mtime moved, same digest) does nothing', async () => {
    const t = setup({ autoreload: true });
    await t.watch.poll();
    t.fs.write('checkinterval=1\n');
    expect(await t.watch.poll()).toBe('unchanged');
    expect(t.reloads).toEqual([]);
  });

  it('a content change with the same mtime is not seen (mtime gates the digest, as the original)', async () => {
    const t = setup({ autoreload: true });
    await t.watch.poll();
    t.fs.write('checkinterval=3\n', 1000);
    expect(await t.watch.poll()).toBe('unchanged');
  });

  it('autoreload=no logs "ignore new configuration" but still runs the callback with the config path', async () => {
    const t = setup({ autoreload: false, callback: '/usr/local/bin/cfg-changed' });
    await t.watch.poll();
    t.fs.write('x\n');
    await t.watch.poll();
    expect(t.reloads).toEqual([]);
    expect(t.callbacks).toEqual([['/usr/local/bin/cfg-changed', '/etc/ha.d/ldirectord.cf']]);
    expect(t.logger.lines).toEqual([
      "info: Configuration file '/etc/ha.d/ldirectord.cf' has changed on disk - ignore new configuration",
    ]);
  });

  it('polls on the injected clock: exact counts per interval', async () => {
    const t = setup({ autoreload: true });
    t.watch.start();
    await flushMicrotasksThenImmediate();
    t.fs.write('a\n');
    t.clock.advance(999);
    await flushMicrotasksThenImmediate();
    expect(t.reloads).toHaveLength(0);
    t.clock.advance(1);
    await flushMicrotasksThenImmediate();
    expect(t.reloads).toHaveLength(1);
    t.fs.write('b\n');
    t.clock.advance(1000);
    await flushMicrotasksThenImmediate();
    t.fs.write('c\n');
    t.clock.advance(1000);
    await flushMicrotasksThenImmediate();
    expect(t.reloads).toHaveLength(3);
    await t.watch.stop();
    t.fs.write('d\n');
    t.clock.advance(5000);
    await flushMicrotasksThenImmediate();
    expect(t.reloads).toHaveLength(3);
    expect(t.clock.pending()).toBe(0);
  });

  it('an unreadable file is logged once and not fatal; recovery resumes watching', async () => {
    const t = setup({ autoreload: true });
    await t.watch.poll();
    t.fs.fail = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    expect(await t.watch.poll()).toBe('unreadable');
    expect(await t.watch.poll()).toBe('unreadable');
    expect(t.logger.lines).toEqual([
      "warn: Configuration file '/etc/ha.d/ldirectord.cf' cannot be read for autoreload: ENOENT: no such file",
    ]);
    t.fs.fail = undefined;
    t.fs.write('new\n');
    expect(await t.watch.poll()).toBe('changed');
    expect(t.reloads).toHaveLength(1);
  });

  it('a failing callback is logged, not thrown', async () => {
    const t = setup({ autoreload: false, callback: '/nope' }, async () => {
      throw new Error('EACCES: permission denied');
    });
    const { watch } = t;
    await watch.poll();
    t.fs.write('z\n');
    expect(await watch.poll()).toBe('changed');
    expect(t.logger.lines).toContain('error: callback /nope failed: EACCES: permission denied');
  });

  it('stop waits for a callback still running (the runner bounds it in time)', async () => {
    let finish: () => void = () => undefined;
    const t = setup(
      { autoreload: false, callback: '/sync' },
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    const { watch } = t;
    await watch.poll();
    t.fs.write('z\n');
    const polled = watch.poll();
    let stopped = false;
    const stopping = Promise.resolve(watch.stop()).then(() => {
      stopped = true;
    });
    await flushMicrotasksThenImmediate();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    expect(await polled).toBe('changed');
  });
});
