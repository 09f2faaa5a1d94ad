import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { runInNewContext } from 'node:vm';
import {
  applyHeapFlags,
  applyRunningHeapFlags,
  RUNNING_HEAP_FLAGS,
  START_HEAP_FLAGS,
} from '../../src/daemon/process/heap-flags';

test('the heap flags are applied unless LDIRECTORD_V8_DEFAULTS=1 asks for V8 defaults', () => {
  expect(applyHeapFlags({ LDIRECTORD_V8_DEFAULTS: '1' })).toBe(false);
  expect(applyHeapFlags({})).toBe(true);
  expect(applyRunningHeapFlags({ LDIRECTORD_V8_DEFAULTS: '1' })).toBe(false);
  expect(applyRunningHeapFlags({})).toBe(true);
  // The one collection it runs leaves no collector behind, in this context or a new one.
  expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  expect(runInNewContext('typeof gc')).toBe('undefined');
});

test('the young generation is held from the start; --optimize-for-size waits for the table (decision 017)', () => {
  expect(START_HEAP_FLAGS).toEqual(['--semi-space-growth-factor=1']);
  expect(RUNNING_HEAP_FLAGS).toEqual(['--optimize-for-size']);
});

/**
 * A fresh node process that applies the flags (or not), then allocates 3 million short-lived objects while
 * keeping up to 20,000 of them alive (the survival that makes V8 grow its young generation), and prints the
 * young generation's size in MiB.
 */
function youngGenerationMiB(env: NodeJS.ProcessEnv): number {
  const flags = path.join(__dirname, '..', '..', 'src', 'daemon', 'process', 'heap-flags.ts');
  const script = `
    require(${JSON.stringify(flags)}).applyHeapFlags();
    let keep = [];
    for (let i = 0; i < 3e6; i++) {
      const o = { a: 'x' + i, b: [i, i + 1] };
      if (i % 50 === 0) keep.push(o);
      if (keep.length > 20000) keep = [];
    }
    const s = require('node:v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
    process.stdout.write(String(s.space_size / 2 ** 20));`;
  const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return Number(out);
}

test('set at run time, the flags keep the young generation at its initial size (as --max-semi-space-size=1 would)', () => {
  // V8's defaults let it grow to 32 MiB under this churn; with the flags it stays at its initial 2 × 1 MiB.
  expect(youngGenerationMiB({ LDIRECTORD_V8_DEFAULTS: '1' })).toBeGreaterThanOrEqual(8);
  expect(youngGenerationMiB({})).toBeLessThanOrEqual(2);
});
