// Builds a director on the in-memory table with a fake pool, fake clock, recording spawner and memory log.
import { startDirector, type Director } from '../../src/daemon/director';
import type { PoolTarget } from '../../src/health/types';
import type { MemoryIpvs } from '../../src/ipvs/memory/table';
import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import type { Config } from '../../src/model/config';
import { createLogger, createMemorySink, type MemorySink } from '../../src/observe/log/logger';
import { realTargetId } from '../../src/reconcile/desired';
import type { ReconcileEvent } from '../../src/reconcile/events';
import { createFakeClock, WALL_CLOCK_START, type FakeClock } from '../support/fake-clock';
import { createFakePool, type FakePool } from '../reconcile/support/fake-pool';

export const targetsOf = (c: Config): PoolTarget[] =>
  c.virtuals.flatMap((v) =>
    v.reals.map((r) => ({
      id: realTargetId(v, r),
      intervalMs: 1000,
      failurecount: 1,
      successcount: 1,
      spec: {} as PoolTarget['spec'],
    })),
  );

export interface Harness {
  director: Director;
  ipvs: MemoryIpvs;
  pool: FakePool;
  clock: FakeClock;
  sink: MemorySink;
  spawned: string[][];
  /** Resolves after the next reconciliation pass of the given phase has finished. */
  nextPass(phase?: string): Promise<void>;
  /** Mutating IPVS calls made since the last call to this (operation:outcome). */
  takeOps(): string[];
  table(): Promise<string[]>;
}

export async function harness(
  config: Config,
  o: {
    ipvs?: MemoryIpvs;
    pool?: FakePool;
    dryRun?: boolean;
    transitionSpacingMs?: number;
    holding?: (vid: string) => boolean;
  } = {},
): Promise<Harness> {
  const ipvs = o.ipvs ?? createMemoryIpvs();
  const pool = o.pool ?? createFakePool();
  const clock = createFakeClock({ start: WALL_CLOCK_START });
  const sink = createMemorySink();
  const spawned: string[][] = [];
  let seen = ipvs.log.lastSeq();
  const director = await startDirector({
    config,
    ipvs,
    pool,
    clock,
    targets: targetsOf,
    dryRun: o.dryRun,
    transitionSpacingMs: o.transitionSpacingMs,
    ...(o.holding !== undefined ? { holding: o.holding } : {}),
    logger: createLogger({ sink, now: clock.now, debugLevel: 0 }),
    spawn: async (file, args) => {
      spawned.push([file, ...args]);
      return { code: 0, signal: null };
    },
  });
  return {
    director,
    ipvs,
    pool,
    clock,
    sink,
    spawned,
    nextPass: (phase) =>
      new Promise((resolve) => {
        const off = director.subscribe((e: ReconcileEvent) => {
          if (e.type === 'pass' && (phase === undefined || e.phase === phase)) {
            off();
            resolve();
          }
        });
      }),
    takeOps: () => {
      const fresh = ipvs.log
        .since(seen)
        .filter((r) => r.mutating)
        .map((r) => `${r.operation}:${r.outcome}`);
      seen = ipvs.log.lastSeq();
      return fresh;
    },
    table: () => dumpTable(ipvs),
  };
}

/** The table as ipvsadm -Ln would summarise it: `S 10.0.0.1:80 wrr`, `  D 10.0.0.5:80 masq 5`, sorted. */
export async function dumpTable(ipvs: MemoryIpvs): Promise<string[]> {
  const out: string[] = [];
  for (const s of await ipvs.listServices()) {
    const sl = 'fwmark' in s ? `fwm ${s.fwmark}` : `${s.protocol} ${s.address}:${s.port}`;
    out.push(`S ${sl} ${s.scheduler}`);
    const ds = (await ipvs.listDests(s))
      .map((d) => `  D ${sl} ${d.address}:${d.port} ${d.forwarding} ${d.weight}`)
      .sort();
    out.push(...ds);
  }
  return out;
}
