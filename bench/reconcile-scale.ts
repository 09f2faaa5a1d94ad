// A reload at scale, in dry-run (the in-memory IPVS table), every real healthy, the steps the director takes
// (src/daemon/director.ts):
//   start   load the file (read, parse, validate), the pool's targets, the first pass of a fresh reconciler
//   reload  a new file in which one virtual differs (one real's weight): load it, the pool's new targets
//           (unchanged checks keep their state), the reload pass; RELOADS=N of them (default 3), each
//           differing from the one before in one virtual, through the daemon's own loader and target lister
//           (src/daemon/process/system.ts), which take over what did not change
//   stop    the cleanstop purge of every virtual
// For each step: wall time, CPU time (user + system of this process), ops, and the ops of the reload that
// touch a service other than the changed one (must be 0); then the heap and RSS after the reload.
//   npx tsx bench/reconcile-scale.ts                 every scenario
//   npx tsx bench/reconcile-scale.ts 100x1000 1x4096 only these (VIRTUALSxREALS_EACH, or "keepalived")
//   RELOAD_PROFILE=/tmp/reload.cpuprofile npx tsx bench/reconcile-scale.ts keepalived
//                                                    also writes a CPU profile of the reload steps alone
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfigLoader, type LoadResult } from '../src/config/load';
import { systemClock } from '../src/health/clock';
import { createHealthPool } from '../src/health/pool';
import { targetLister } from '../src/health/spec';
import { createMemoryIpvs } from '../src/ipvs/memory/table';
import type { Config } from '../src/model/config';
import { realTargetId } from '../src/reconcile/desired';
import { createEventBus } from '../src/reconcile/events';
import { serviceId } from '../src/reconcile/keys';
import { configMapping as map } from '../src/reconcile/mapping';
import type { Op } from '../src/reconcile/ops';
import { createReconciler } from '../src/reconcile/reconciler';

/** The address of the n-th real server: 10.64.0.1 onwards (at most 4 M of them). */
const realAddress = (n: number): string => `10.${64 + ((n + 1) >> 16)}.${((n + 1) >> 8) & 255}.${(n + 1) & 255}`;
const virtualAddress = (i: number): string => `10.0.${i >> 8}.${i & 255}`;

/**
 * An ldirectord.cf with `reals` real servers spread over `nv` virtuals as evenly as config order allows (the
 * first get one more); `bump` adds 10 to the weight of that virtual's first real.
 */
function cfText(nv: number, reals: number, bump = -1): string {
  const out = ['checkinterval=5', 'checktimeout=3', 'quiescent=no', ''];
  let n = 0;
  for (let i = 0; i < nv; i++) {
    const count = Math.floor(reals / nv) + (i < reals % nv ? 1 : 0);
    out.push(`virtual=${virtualAddress(i)}:80`);
    for (let j = 0; j < count; j++, n++) {
      const weight = 1 + (j % 5) + (i === bump && j === 0 ? 10 : 0);
      out.push(`\treal=${realAddress(n)}:8080 masq ${weight}`);
    }
    out.push('\tservice=http', '\tscheduler=wrr', '\trequest="/"', '\treceive="ok"', '');
  }
  return out.join('\n');
}

interface Timed {
  readonly ms: number;
  readonly cpuMs: number;
  readonly ops: readonly Op[];
}

async function timed(work: () => Promise<{ ops: readonly Op[] }> | { ops: readonly Op[] }): Promise<Timed> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { ops } = await work();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, ops };
}

const sum = (list: readonly Timed[]): Timed => ({
  ms: list.reduce((a, t) => a + t.ms, 0),
  cpuMs: list.reduce((a, t) => a + t.cpuMs, 0),
  ops: list.flatMap((t) => t.ops),
});

const opService = (op: Op): string =>
  serviceId(op.kind === 'delete-service' || op.kind === 'delete-dest' ? op.key : op.service);

async function load(loader: (file: string) => Promise<LoadResult>, file: string): Promise<Config> {
  const r = await loader(file);
  if (r.ok) return r.config;
  throw new Error(`bench config refused: ${r.errors[0]?.message}`);
}

/** With RELOAD_PROFILE=FILE: starts the CPU profiler; the function returned stops it and writes FILE. */
async function startProfile(): Promise<(() => Promise<void>) | undefined> {
  const out = process.env.RELOAD_PROFILE;
  if (out === undefined || out === '') return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(out, JSON.stringify(profile));
    session.disconnect();
  };
}

const MiB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function scenario(name: string, nv: number, reals: number): Promise<string[][]> {
  const dir = mkdtempSync(join(tmpdir(), 'reconcile-scale-'));
  const file = join(dir, 'ldirectord.cf');
  const bump = nv >> 1;
  try {
    writeFileSync(file, cfText(nv, reals));
    // The daemon's loader (src/daemon/process/system.ts): a reload takes over the unchanged sections.
    const loader = createConfigLoader();
    let c: Config | undefined;
    const startLoad = await timed(async () => ((c = await load(loader, file)), { ops: [] }));
    const first = c as Config;
    const up = new Set(first.virtuals.flatMap((v) => v.reals.map((r) => realTargetId(v, r))));
    const targetsFor = targetLister(); // the daemon's (src/daemon/process/system.ts)
    const pool = createHealthPool({ clock: systemClock, runCheck: () => Promise.reject(new Error('not started')) });
    const startTargets = await timed(() => (pool.setTargets(targetsFor(first)), { ops: [] }));
    const ipvs = createMemoryIpvs();
    const reconciler = createReconciler(
      { client: ipvs, map, health: (id) => up.has(id), bus: createEventBus(), runFallbackCommand: () => undefined },
      first,
    );
    const startPass = await timed(() => reconciler.sync('start'));

    // RELOADS (default 3) reloads, each of a file that differs from the one before in one virtual: the bumped
    // virtual's first real's weight, on and off. The profile covers the first.
    const reloads: { load: Timed; targets: Timed; pass: Timed; elsewhere: number }[] = [];
    let next = first;
    for (let k = 0; k < Math.max(1, Number(process.env.RELOADS ?? 3)); k += 1) {
      writeFileSync(file, cfText(nv, reals, k % 2 === 0 ? bump : -1));
      const profile = k === 0 ? await startProfile() : undefined;
      const reloadLoad = await timed(async () => ((c = await load(loader, file)), { ops: [] }));
      const loaded = c as Config;
      const reloadTargets = await timed(() => (pool.setTargets(targetsFor(loaded)), { ops: [] }));
      const reloadPass = await timed(() => (reconciler.setConfig(loaded), reconciler.sync('reload')));
      await profile?.();
      const changedId = serviceId(map.service(loaded.virtuals[bump] as Config['virtuals'][number]));
      const elsewhere = reloadPass.ops.filter((op) => opService(op) !== changedId).length;
      reloads.push({ load: reloadLoad, targets: reloadTargets, pass: reloadPass, elsewhere });
      next = loaded;
    }
    const mem = process.memoryUsage();
    const stop = await timed(() => reconciler.purge(next.virtuals));
    const left = (await ipvs.listServices()).length;
    await pool.stop();
    const row = (pass: string, t: Timed, other = ''): string[] => [
      name,
      pass,
      `${t.ms.toFixed(0)} ms`,
      `${t.cpuMs.toFixed(0)} ms`,
      String(t.ops.length),
      other,
    ];
    return [
      row('start: load the file', startLoad),
      row('start: pool targets', startTargets),
      row('start: pass', startPass),
      ...reloads.flatMap((r, k) => {
        const n = reloads.length > 1 ? ` ${k + 1}` : '';
        return [
          row(`reload${n}: load the file`, r.load),
          row(`reload${n}: pool targets`, r.targets),
          row(`reload${n}: pass (1 virtual changed)`, r.pass, `${r.elsewhere} ops elsewhere`),
          row(
            `**reload${n}, whole**`,
            sum([r.load, r.targets, r.pass]),
            k === reloads.length - 1 ? `heap ${MiB(mem.heapUsed)}, RSS ${MiB(mem.rss)} after it` : '',
          ),
        ];
      }),
      row('stop (cleanstop purge)', stop, `${left} services left`),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SCENARIOS: Record<string, readonly [number, number]> = {
  '100x1000': [100, 100_000],
  '1x65536': [1, 65536],
  keepalived: [2277, 37205],
};

async function main(): Promise<void> {
  const wanted = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(SCENARIOS);
  const rows: string[][] = [['virtuals / reals', 'step', 'wall', 'CPU', 'ops', '']];
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
