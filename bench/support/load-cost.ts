// What loading modules costs a fresh node process: it requires them (in order) and reports the wall time of the
// requires, the files they loaded, and its RSS (VmRSS) half a second later. Median of `runs` processes.
import { execFileSync } from 'node:child_process';
import { percentile } from './percentile';

export interface LoadCost {
  readonly loadMs: number;
  readonly files: number;
  readonly rssMiB: number;
}

function once(modules: readonly string[], flags: readonly string[]): LoadCost {
  const script =
    `const t0 = process.hrtime.bigint(); const n0 = Object.keys(require.cache).length;` +
    `for (const m of ${JSON.stringify(modules)}) require(m);` +
    `const loadMs = Number(process.hrtime.bigint() - t0) / 1e6; const files = Object.keys(require.cache).length - n0;` +
    `setTimeout(() => { const s = require('fs').readFileSync('/proc/self/status', 'utf8');` +
    `process.stdout.write(JSON.stringify({ loadMs, files, rssMiB: Number(/VmRSS:\\s+(\\d+)/.exec(s)[1]) / 1024 })); }, 500);`;
  return JSON.parse(execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' })) as LoadCost;
}

/** Each figure the median of `runs` fresh processes (node flags in `flags`). */
export function loadCost(modules: readonly string[], flags: readonly string[] = [], runs = 3): LoadCost {
  const all = Array.from({ length: runs }, () => once(modules, flags));
  const median = (pick: (c: LoadCost) => number): number =>
    percentile(
      all.map(pick).sort((a, b) => a - b),
      50,
    );
  return { loadMs: median((c) => c.loadMs), files: median((c) => c.files), rssMiB: median((c) => c.rssMiB) };
}
