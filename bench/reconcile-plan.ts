// How long the director's pure half takes on big tables: desired table + plan for V virtuals × R reals,
// (a) the steady state (kernel already matches: empty plan) and (b) one real of every virtual failing.
// Also a whole start against the in-memory table (read + plan + apply of every service and real).
//   npx tsx bench/reconcile-plan.ts
import { createMemoryIpvs } from '../src/ipvs/memory/table';
import type { Config, RealServer, VirtualService } from '../src/model/config';
import { readActual } from '../src/reconcile/actual';
import { apply } from '../src/reconcile/apply';
import { desiredTable, realTargetId } from '../src/reconcile/desired';
import { configMapping as map } from '../src/reconcile/mapping';
import { plan } from '../src/reconcile/plan';
import { config, real, virtual } from '../test/reconcile/support/fixtures';

function build(nv: number, nr: number): Config {
  const vs: VirtualService[] = [];
  for (let i = 0; i < nv; i++) {
    const reals: RealServer[] = [];
    for (let j = 0; j < nr; j++)
      reals.push(real(`10.${1 + (j >> 8)}.${j & 255}.${1 + (i % 250)}`, 8000 + i, { weight: 1 + (j % 5) }));
    vs.push(virtual(`10.0.${i >> 8}.${i & 255}`, 80, reals));
  }
  return config(vs);
}

/** Median of 5 runs (the machine is shared and noisy). */
function median5<T>(f: () => T): [number, T] {
  const times: number[] = [];
  let out!: T;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    out = f();
    times.push(performance.now() - t);
  }
  return [times.sort((a, b) => a - b)[2]!, out];
}

async function main(): Promise<void> {
  const rows: string[][] = [
    [
      'virtuals',
      'reals each',
      'dests',
      'start (read+plan+apply, memory)',
      'steady plan (median of 5)',
      'plan: 1 fail/virtual (median of 5)',
      'ops',
    ],
  ];
  for (const [nv, nr] of [
    [10, 10],
    [100, 20],
    [1000, 20],
    [2000, 20],
  ] as const) {
    const c = build(nv, nr);
    const up = new Set(c.virtuals.flatMap((v) => v.reals.map((r) => realTargetId(v, r))));
    const ipvs = createMemoryIpvs();
    const owned = c.virtuals.map((v) => map.service(v));
    const t = performance.now();
    let actual = await readActual(ipvs, owned);
    await apply(
      plan(
        desiredTable(c, (id) => up.has(id), actual, map),
        actual,
      ),
      ipvs,
    );
    const start = performance.now() - t;
    actual = await readActual(ipvs, owned);
    const [steadyMs, steady] = median5(() =>
      plan(
        desiredTable(c, (id) => up.has(id), actual, map),
        actual,
      ),
    );
    for (const v of c.virtuals) up.delete(realTargetId(v, v.reals[0]!));
    const [failMs, fail] = median5(() =>
      plan(
        desiredTable(c, (id) => up.has(id), actual, map),
        actual,
      ),
    );
    rows.push([
      String(nv),
      String(nr),
      String(nv * nr),
      `${start.toFixed(0)} ms`,
      `${steadyMs.toFixed(1)} ms (${steady.length} ops)`,
      `${failMs.toFixed(1)} ms`,
      String(fail.length),
    ]);
  }
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i]!)).join(' | '));
}

void main();
