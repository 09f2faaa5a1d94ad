// Config load time for large configs (target: 10,000 real servers in under 1 s).
// Run: npx tsx bench/config-load.ts
// Parse + validate + freeze through the real loadConfig, files in memory (no disk, no DNS: literal addresses).

import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/load';
import { systemResolver } from '../src/config/resolver';

interface Scenario {
  readonly name: string;
  readonly text: string;
}

function ipv4(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function manyVirtuals(virtuals: number, realsEach: number): string {
  const out = ['checktimeout=3', 'checkinterval=5', 'fallback=127.0.0.1:80', ''];
  let n = 1;
  for (let v = 0; v < virtuals; v++) {
    out.push(`virtual=192.0.2.${v % 250}:${1000 + v}`);
    for (let r = 0; r < realsEach; r++) out.push(`\treal=${ipv4(n++)}:8080 masq ${1 + (r % 5)} "health", "OK" u:1000`);
    out.push('\tservice=http', '\tscheduler=wlc', '\trequest="/"', '\treceive="OK"', '');
  }
  return out.join('\n');
}

function ranges(reals: number): string {
  // 10,000 real servers written as 40 ranges of 250.
  const lines = ['virtual=192.0.2.1:80'];
  for (let i = 0; i < reals / 250; i++) lines.push(`\treal=10.1.${i}.1->10.1.${i}.250:80 gate`);
  return `${lines.join('\n')}\n`;
}

const scenarios: Scenario[] = [
  { name: '1 virtual × 10,000 reals', text: manyVirtuals(1, 10000) },
  { name: '100 virtuals × 100 reals', text: manyVirtuals(100, 100) },
  { name: '1,000 virtuals × 10 reals', text: manyVirtuals(1000, 10) },
  { name: '40 ranges → 10,000 reals', text: ranges(10000) },
];

async function time(text: string): Promise<{ ms: number; virtuals: number; reals: number }> {
  const t0 = performance.now();
  const r = await loadConfig('/bench/ldirectord.cf', {
    resolver: systemResolver(),
    readFile: async () => text,
    readdir: async () => [],
  });
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`bench config refused: ${r.errors[0]?.message}`);
  return { ms, virtuals: r.config.virtuals.length, reals: r.config.virtuals.reduce((a, v) => a + v.reals.length, 0) };
}

async function main(): Promise<void> {
  const RUNS = 5;
  const rows: string[][] = [];
  for (const s of scenarios) {
    await time(s.text); // warm-up
    const samples: number[] = [];
    let shape = { virtuals: 0, reals: 0 };
    for (let i = 0; i < RUNS; i++) {
      const r = await time(s.text);
      samples.push(r.ms);
      shape = r;
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(RUNS / 2)]!;
    rows.push([
      s.name,
      String(shape.virtuals),
      String(shape.reals),
      `${(s.text.length / 1024).toFixed(0)} KiB`,
      median.toFixed(1),
      samples[RUNS - 1]!.toFixed(1),
      median < 1000 ? 'yes' : 'NO',
    ]);
  }
  const head = ['scenario', 'virtuals', 'reals', 'size', 'median ms', 'max ms', '< 1 s'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`config load, ${RUNS} runs each after one warm-up (node ${process.version})`);
  console.log(fmt(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(fmt(r));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
