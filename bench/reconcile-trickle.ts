// The transition passes of a cold start, on the host in dry-run (the in-memory IPVS table): V virtuals × R
// reals, none decided yet; then the reals come up in a trickle, UPS at a time in a shuffled order, each batch
// followed by one transition pass over every virtual, as the director runs them (src/daemon/director.ts) while
// the first round of checks reports. Per pass: wall time, and what it left to the garbage collector (the
// scavenges and their total pause, with the daemon's heap flags: a young generation of 1 MiB, decision 017).
// In the one-CPU guest a cold start at 5,000 reals spent ~30 % of the daemon's samples in the collector, with
// a scavenge every ~50 ms (docs/benchmarks.md, "Cold start").
//   npx tsx bench/reconcile-trickle.ts                 10 × 500, 50 ups a pass
//   npx tsx bench/reconcile-trickle.ts 20x500 25       20 virtuals of 500 reals, 25 ups a pass
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { applyHeapFlags } from '../src/daemon/process/heap-flags';
import { createMemoryIpvs } from '../src/ipvs/memory/table';
import type { Config, RealServer, VirtualService } from '../src/model/config';
import { realTargetId } from '../src/reconcile/desired';
import { createEventBus } from '../src/reconcile/events';
import { configMapping as map } from '../src/reconcile/mapping';
import { createReconciler } from '../src/reconcile/reconciler';
import { config, real, virtual } from '../test/reconcile/support/fixtures';

function build(nv: number, nr: number): Config {
  const vs: VirtualService[] = [];
  for (let i = 0; i < nv; i++) {
    const reals: RealServer[] = [];
    for (let j = 0; j < nr; j++) reals.push(real(`10.${1 + (j >> 8)}.${j & 255}.${1 + (i % 250)}`, 80));
    vs.push(virtual(`10.0.${i >> 8}.${i & 255}`, 80, reals));
  }
  return config(vs);
}

/** A fixed shuffle (xorshift), so that every run brings the reals up in the same order. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let s = 0x2545f491;
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function main(): Promise<void> {
  applyHeapFlags();
  const [shape = '10x500', upsArg = '50'] = process.argv.slice(2);
  const [nv, nr] = shape.split('x').map(Number) as [number, number];
  const ups = Number(upsArg);
  const c = build(nv, nr);
  const up = new Set<string>();
  const reconciler = createReconciler(
    {
      client: createMemoryIpvs(),
      map,
      health: (id) => (up.has(id) ? true : undefined),
      bus: createEventBus(),
      runFallbackCommand: () => undefined,
    },
    c,
  );
  await reconciler.sync('start');
  const order = shuffled(c.virtuals.flatMap((v) => v.reals.map((r) => realTargetId(v, r))));
  const vids = new Set(c.virtuals.map((v) => v.id));

  let scavenges = 0;
  let scavengeMs = 0;
  let majors = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        scavenges += 1;
        scavengeMs += e.duration;
      } else majors += 1;
    }
  });
  gc.observe({ entryTypes: ['gc'] });

  const times: number[] = [];
  let ops = 0;
  const t0 = performance.now();
  for (let i = 0; i < order.length; i += ups) {
    for (const id of order.slice(i, i + ups)) up.add(id);
    const t = performance.now();
    const outcome = await reconciler.sync('transition', vids);
    times.push(performance.now() - t);
    ops += outcome.ops.length;
  }
  const total = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 100)); // the last gc entries
  gc.disconnect();
  times.sort((a, b) => a - b);
  const q = (f: number): string => (times[Math.floor(f * (times.length - 1))] ?? 0).toFixed(2);
  console.log(
    `| virtuals × reals | ups a pass | passes | ops | pass ms p50 | p90 | max | all passes ms | scavenges | their ms | major GCs |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${nv} × ${nr} | ${ups} | ${times.length} | ${ops} | ${q(0.5)} | ${q(0.9)} | ${q(1)} | ${total.toFixed(0)} | ${scavenges} | ${scavengeMs.toFixed(0)} | ${majors} |`,
  );
}

void main();
