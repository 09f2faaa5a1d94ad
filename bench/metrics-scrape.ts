// How long a /metrics scrape takes, how big it is, and how long it holds the event loop (the most a
// concurrent /status.json waits behind it), for V virtual services × R real servers, with the per-real
// cardinality cap (default 1,000 real servers) and without it. Target: under 1 s at 10,000 real servers.
//   npx tsx bench/metrics-scrape.ts
import { loadavg } from 'node:os';
import { createDaemonMetrics } from '../src/observe/metrics/registry';
import { syntheticKernel, syntheticSnapshot } from '../test/observe/metrics/support/synthetic';

interface Row {
  readonly reals: number;
  readonly mode: string;
  readonly ms: number;
  readonly stallMs: number;
  readonly mb: number;
  readonly series: number;
}

/** Runs `f` while measuring the longest gap between event-loop turns (setImmediate ticks). */
async function withStall<T>(f: () => Promise<T>): Promise<[T, number]> {
  let last = performance.now();
  let worst = 0;
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const out = await f();
  running = false;
  await new Promise((r) => setImmediate(r)); // the tick that ends the scrape's turn is counted
  return [out, worst];
}

async function measure(nv: number, nr: number, capped: boolean): Promise<Row> {
  const snap = syntheticSnapshot(nv, nr);
  const m = createDaemonMetrics({
    snapshot: () => snap,
    override: () => undefined,
    kernel: syntheticKernel(snap),
    kernelWeights: async () => new Map(),
    ...(capped ? {} : { maxRealSeries: Infinity }),
  });
  await m.scrape(); // warm-up
  const times: number[] = [];
  let stall = 0;
  let text = '';
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const [body, s] = await withStall(() => m.scrape());
    times.push(performance.now() - t);
    stall = Math.max(stall, s);
    text = body;
  }
  times.sort((a, b) => a - b);
  const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  return {
    reals: nv * nr,
    mode: capped ? 'capped (default)' : 'uncapped',
    ms: times[1] as number,
    stallMs: stall,
    mb: Buffer.byteLength(text) / 1e6,
    series,
  };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  await measure(10, 100, true); // the first measurement also pays for the JIT: not reported
  for (const [nv, nr] of [
    [10, 100],
    [20, 100],
    [100, 100],
    [100, 1000],
  ] as const)
    rows.push(await measure(nv, nr, true));
  for (const [nv, nr] of [
    [20, 100],
    [100, 100],
  ] as const)
    rows.push(await measure(nv, nr, false));
  console.log(
    `node ${process.version}, ${process.platform}/${process.arch}, load average ${loadavg()[0]?.toFixed(1)}; median of 3 scrapes after a warm-up; stall = longest event-loop turn during a scrape`,
  );
  console.log('| real servers | per-real series | scrape ms | event-loop stall ms | body MB | series |');
  console.log('|---:|---|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.reals.toLocaleString('en')} | ${r.mode} | ${r.ms.toFixed(0)} | ${r.stallMs.toFixed(0)} | ${r.mb.toFixed(2)} | ${r.series.toLocaleString('en')} |`,
    );
}

void main();
