// The guarded stream under a closed and a stalled reader, with a real pipe-like stream (a Writable whose
// reader is gone) and a Writable that never drains: writes stop at the first error, drops are counted and
// reported once elsewhere, the buffer never grows past its bound, and closing detaches the listeners; batched
// (line-batch.ts), a burst is one write, its bound counts what it holds, and a lost burst counts every line.
import { Writable } from 'node:stream';
import { guardStream } from '../../../src/observe/log/guarded-stream';
import { createStderrSink } from '../../../src/observe/log/stream-sinks';
import { createLogger } from '../../../src/observe/log/logger';

const epipe = (): Error => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

/** A stream whose every write fails asynchronously with EPIPE, counting the attempts (what the kernel sees). */
function closedPipe(): Writable & { attempts: number } {
  const w = new Writable({
    write(_chunk, _enc, cb) {
      w.attempts++;
      cb(epipe());
    },
  }) as Writable & { attempts: number };
  w.attempts = 0;
  return w;
}

/** A stream whose reader takes nothing: writes are accepted into the buffer and never complete. */
function stalled(): Writable {
  return new Writable({ highWaterMark: 16, write: () => undefined });
}

test('after the first EPIPE nothing more is written; drops are counted and reported once, elsewhere', async () => {
  const pipe = closedPipe();
  const reports: string[] = [];
  const g = guardStream(pipe, { name: 'stderr', report: (t) => void reports.push(t) });
  g.write('one\n');
  await new Promise((r) => setImmediate(r)); // let the stream deliver its error event
  for (let i = 0; i < 1000; i++) g.write(`line ${i}\n`);
  expect(pipe.attempts).toBe(1);
  expect(g.dropped()).toBe(1000);
  expect(g.broken()).toBe('EPIPE');
  expect(reports).toEqual(['ldirectord: stderr closed (EPIPE): log lines to stderr are dropped\n']);
  g.close();
  expect(pipe.listenerCount('error')).toBe(1); // only the shared ignore listener stays
});

test('a reader that stops reading: the buffer stays under its bound and the rest is dropped', () => {
  const s = stalled();
  const reports: string[] = [];
  const g = guardStream(s, { name: 'stdout', maxBuffered: 1000, report: (t) => void reports.push(t) });
  for (let i = 0; i < 10_000; i++) g.write('0123456789\n');
  expect(s.writableLength).toBeLessThanOrEqual(1000);
  expect(g.dropped()).toBeGreaterThan(9000);
  expect(reports).toHaveLength(1);
  expect(reports[0]).toContain('stdout full');
  g.close();
});

test('sinks made and closed per reload leave no listeners behind', async () => {
  const pipe = new Writable({ write: (_c, _e, cb) => cb() });
  const other = new Writable({ write: (_c, _e, cb) => cb() });
  for (let i = 0; i < 50; i++) {
    const sink = createStderrSink(pipe, other);
    createLogger({ sink }).info('x');
    await sink.close();
  }
  expect(pipe.listenerCount('error')).toBe(1);
  expect(other.listenerCount('error')).toBe(1);
});

test('a batched guarded stream: one write per burst, and its bound counts the lines it holds', async () => {
  let writes = 0;
  const sink = new Writable({
    highWaterMark: 1 << 20,
    write: (_c, _e, cb) => {
      writes++;
      cb();
    },
  });
  const g = guardStream(sink, { name: 'stdout', batch: true });
  for (let i = 0; i < 500; i++) g.write(`line ${i}\n`);
  await Promise.resolve();
  expect(writes).toBe(1);

  const stalled = new Writable({ highWaterMark: 16, write: () => undefined });
  const bounded = guardStream(stalled, { name: 'stdout', batch: true, maxBuffered: 1000 });
  for (let i = 0; i < 500; i++) bounded.write('0123456789\n');
  expect(bounded.dropped()).toBeGreaterThan(400);
  await Promise.resolve();
  expect(stalled.writableLength).toBeLessThanOrEqual(1000);
  g.close();
  bounded.close();
});

test('lines held for a burst when the stream breaks are counted as dropped, each one', async () => {
  const w = new Writable({ write: (_c, _e, cb) => cb() });
  const reports: string[] = [];
  const g = guardStream(w, { name: 'stdout', batch: true, report: (t) => void reports.push(t) });
  g.write('one\n');
  g.write('two\n');
  g.write('three\n');
  w.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  await Promise.resolve();
  expect(g.dropped()).toBe(3);
  expect(reports).toEqual(['ldirectord: stdout closed (EPIPE): log lines to stdout are dropped\n']);
  g.close();
});
