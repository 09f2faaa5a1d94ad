// The reconciler's whole pass path at scale, in dry-run (the in-memory IPVS table), every real healthy:
//   start   the first pass of a fresh director (read, desired table, plan, apply, known table)
//   reload  a new config in which one virtual differs (one real's weight), then the reload pass
//   stop    the cleanstop purge of every virtual
// For each: wall time, CPU time (user + system of this process), ops, and the ops of the reload that touch a
// service other than the changed one (must be 0).
//   npx tsx bench/reconcile-scale.ts                 every scenario
//   npx tsx bench/reconcile-scale.ts 100x1000 1x4096 only these (VIRTUALSxREALS_EACH, or "keepalived")
import { createMemoryIpvs } from '../src/ipvs/memory/table';
import type { Config, RealServer, VirtualService } from '../src/model/config';
import { realTargetId } from '../src/reconcile/desired';
import { createEventBus } from '../src/reconcile/events';
import { serviceId } from '../src/reconcile/keys';
import { configMapping as map } from '../src/reconcile/mapping';
import type { Op } from '../src/reconcile/ops';
import { createReconciler } from '../src/reconcile/reconciler';
import { config, real, virtual } from '../test/reconcile/support/fixtures';

/** The address of the n-th real server: 10.64.0.1 onwards (at most 4 M of them). */
const realAddress = (n: number): string => `10.${64 + ((n + 1) >> 16)}.${((n + 1) >> 8) & 255}.${(n + 1) & 255}`;

/** `reals` real servers spread over `nv` virtuals as evenly as config order allows (the first get one more). */
function build(nv: number, reals: number): Config {
  const vs: VirtualService[] = [];
  let n = 0;
  for (let i = 0; i < nv; i++) {
    const count = Math.floor(reals / nv) + (i < reals % nv ? 1 : 0);
    const rs: RealServer[] = [];
    for (let j = 0; j < count; j++, n++) rs.push(real(realAddress(n), 8080, { weight: 1 + (j % 5) }));
    vs.push(virtual(`10.0.${i >> 8}.${i & 255}`, 80, rs));
  }
  return config(vs);
}

/** The same config with the middle virtual's first real at another weight. */
function changeOne(c: Config): { next: Config; changed: VirtualService } {
  const at = c.virtuals.length >> 1;
  const old = c.virtuals[at] as VirtualService;
  const [first, ...rest] = old.reals;
  const changed: VirtualService = {
    ...old,
    reals: first === undefined ? rest : [{ ...first, weight: first.weight + 10 }, ...rest],
  };
  return { next: { ...c, virtuals: c.virtuals.map((v, i) => (i === at ? changed : v)) }, changed };
}

interface Timed {
  readonly ms: number;
  readonly cpuMs: number;
  readonly ops: readonly Op[];
}

async function timed(work: () => Promise<{ ops: readonly Op[] }>): Promise<Timed> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { ops } = await work();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, ops };
}

const opService = (op: Op): string =>
  serviceId(op.kind === 'delete-service' || op.kind === 'delete-dest' ? op.key : op.service);

async function scenario(name: string, nv: number, reals: number): Promise<string[][]> {
  const c = build(nv, reals);
  const up = new Set(c.virtuals.flatMap((v) => v.reals.map((r) => realTargetId(v, r))));
  const ipvs = createMemoryIpvs();
  const reconciler = createReconciler(
    { client: ipvs, map, health: (id) => up.has(id), bus: createEventBus(), runFallbackCommand: () => undefined },
    c,
  );
  const start = await timed(() => reconciler.sync('start'));
  const { next, changed } = changeOne(c);
  reconciler.setConfig(next);
  const reload = await timed(() => reconciler.sync('reload'));
  const changedId = serviceId(map.service(changed));
  const elsewhere = reload.ops.filter((op) => opService(op) !== changedId).length;
  const stop = await timed(() => reconciler.purge(next.virtuals));
  const left = (await ipvs.listServices()).length;
  const row = (pass: string, t: Timed, other: string): string[] => [
    name,
    pass,
    `${t.ms.toFixed(0)} ms`,
    `${t.cpuMs.toFixed(0)} ms`,
    String(t.ops.length),
    other,
  ];
  return [
    row('start', start, ''),
    row('reload (1 virtual changed)', reload, `${elsewhere} ops elsewhere`),
    row('stop (cleanstop purge)', stop, `${left} services left`),
  ];
}

const SCENARIOS: Record<string, readonly [number, number]> = {
  '100x1000': [100, 100_000],
  '1x65536': [1, 65536],
  keepalived: [2277, 37205],
};

async function main(): Promise<void> {
  const wanted = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(SCENARIOS);
  const rows: string[][] = [['virtuals / reals', 'pass', 'wall', 'CPU', 'ops', '']];
  for (const w of wanted) {
    const known = SCENARIOS[w];
    const m = /^(\d+)x(\d+)$/.exec(w);
    const [nv, nr] = known ?? (m ? [Number(m[1]), Number(m[1]) * Number(m[2])] : [0, 0]);
    if (nv === 0)
      throw new Error(`unknown scenario ${w}: give VIRTUALSxREALS_EACH or one of ${Object.keys(SCENARIOS).join(', ')}`);
    rows.push(...(await scenario(`${nv} / ${nr}`, nv, nr)));
  }
  const width = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  for (const r of rows)
    console.log(
      r
        .map((cell, i) => cell.padEnd(width[i] as number))
        .join(' | ')
        .trimEnd(),
    );
}

void main();
