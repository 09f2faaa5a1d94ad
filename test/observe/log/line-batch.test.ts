// Log lines of one burst in one write (src/observe/log/line-batch.ts): order kept, one write per task, at once
// past FLUSH_BYTES, nothing held after close(), and what is held when the process exits still written.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { batchLines, FLUSH_BYTES } from '../../../src/observe/log/line-batch';

test('the lines of one task go out in one write, in order; the next task gets its own', async () => {
  const writes: string[] = [];
  const b = batchLines((t) => void writes.push(t));
  for (let i = 0; i < 1000; i++) b.write(`line ${i}\n`);
  expect(writes).toEqual([]);
  expect(b.pending()).toBeGreaterThan(0);
  await Promise.resolve();
  expect(writes).toHaveLength(1);
  expect(writes[0]?.split('\n').slice(0, 3)).toEqual(['line 0', 'line 1', 'line 2']);
  expect(writes[0]?.split('\n')).toHaveLength(1001);
  expect(b.pending()).toBe(0);
  b.write('later\n');
  await Promise.resolve();
  expect(writes).toEqual([expect.any(String), 'later\n']);
  b.close();
});

test('a burst is written at once when it reaches FLUSH_BYTES, so no write is larger than a line past it', () => {
  const writes: string[] = [];
  const b = batchLines((t) => void writes.push(t));
  const line = `${'x'.repeat(99)}\n`;
  const n = Math.ceil((FLUSH_BYTES * 2.5) / line.length);
  for (let i = 0; i < n; i++) b.write(line);
  expect(writes).toHaveLength(2);
  for (const w of writes) expect(w.length).toBeLessThan(FLUSH_BYTES + line.length);
  b.close();
  expect(writes.join('').length).toBe(n * line.length);
});

test('close() writes what is held, and later lines are written one by one', () => {
  const writes: string[] = [];
  const b = batchLines((t) => void writes.push(t));
  b.write('a\n');
  b.write('b\n');
  b.close();
  expect(writes).toEqual(['a\nb\n']);
  b.write('c\n');
  expect(writes).toEqual(['a\nb\n', 'c\n']);
});

test('lines held when the process exits are written by its exit listener', () => {
  const script = [
    `const { batchLines } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/observe/log/line-batch.ts'))});`,
    'const b = batchLines((t) => process.stdout.write(t));',
    "b.write('one\\n'); b.write('two\\n');",
    'process.exit(3);',
  ].join('\n');
  let out = '';
  try {
    execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  } catch (e) {
    const err = e as { status: number; stdout: string };
    expect(err.status).toBe(3);
    out = err.stdout;
  }
  expect(out).toBe('one\ntwo\n');
});
