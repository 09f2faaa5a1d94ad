// A read-only picture of the running director for the status page: per virtual, every real with its health,
// the weight the director wants and the weight the kernel had at the last pass that covered it.

import type { HealthPoolApi, CheckResult } from '../health/types';
import type { Config } from '../model/config';
import { realTargetId, type DestWant, type DesiredDest, type IpvsMapping } from './desired';
import type { FallbackAction } from './fallback-command';
import { destId } from './keys';
import type { PassOutcome, VirtualView } from './reconciler';
import type { SyncStatus } from '../sync/keeper';
import type { AnnounceStatus } from '../announce/keeper';

export interface RealSnapshot {
  readonly targetId: string;
  readonly label: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastResult?: CheckResult;
  readonly configuredWeight: number;
  /** null = should be absent; 'keep' = left as the kernel has it (health not decided yet). */
  readonly desiredWeight: number | null | 'keep';
  /** null = not in the kernel at the last pass. */
  readonly kernelWeight: number | null;
}

export interface VirtualSnapshot {
  readonly vid: string;
  readonly label: string;
  readonly reals: readonly RealSnapshot[];
  readonly fallback?: {
    readonly label: string;
    readonly desiredWeight: number | null | 'keep';
    readonly kernelWeight: number | null;
  };
  readonly fallbackActive: boolean | undefined;
  readonly fallbackCommand?: FallbackAction;
}

export interface DirectorSnapshot {
  readonly file: string;
  readonly state: 'running' | 'stopped';
  readonly virtuals: readonly VirtualSnapshot[];
  readonly lastPass?: { readonly phase: string; readonly ops: number; readonly failed: number };
  /** The connection-sync daemons (src/sync/keeper.ts). */
  readonly syncDaemons?: SyncStatus;
  /** BGP announcement (src/announce/keeper.ts); undefined while no feed is open. */
  readonly announce?: AnnounceStatus;
}

export interface SnapshotInput {
  readonly config: Config;
  readonly state: 'running' | 'stopped';
  readonly views: ReadonlyMap<string, VirtualView>;
  readonly pool: HealthPoolApi;
  readonly map: IpvsMapping;
  readonly fallbackState: ReadonlyMap<string, FallbackAction>;
  readonly lastOutcome?: PassOutcome;
}

const weightOf = (w: DestWant | undefined): number | null | 'keep' =>
  w === undefined || w.kind === 'keep' ? 'keep' : w.kind === 'absent' ? null : w.dest.weight;

export function takeSnapshot(i: SnapshotInput): DirectorSnapshot {
  const virtuals = i.config.virtuals.map((v): VirtualSnapshot => {
    const view = i.views.get(v.id);
    const desired = new Map<string, DesiredDest>((view?.desired.dests ?? []).map((d) => [d.id, d]));
    const kernel = new Map((view?.actual?.dests ?? []).map((d) => [destId(d), d.weight]));
    const reals = v.reals.map((r): RealSnapshot => {
      const dest = i.map.dest(v, r);
      const id = destId(dest);
      const targetId = realTargetId(v, r);
      const up = i.pool.isUp(targetId);
      const d = desired.get(id);
      const lastResult = i.pool.lastResult(targetId);
      return {
        targetId,
        label: `${r.family === 'inet6' ? `[${r.address}]` : r.address}:${r.port}`,
        health: up === undefined ? 'unknown' : up ? 'up' : 'down',
        ...(lastResult === undefined ? {} : { lastResult }),
        configuredWeight: r.weight,
        desiredWeight: d?.role === 'real' ? weightOf(d.want) : d === undefined ? 'keep' : null,
        kernelWeight: kernel.get(id) ?? null,
      };
    });
    let fallback: VirtualSnapshot['fallback'];
    if (v.fallback !== undefined) {
      const dest = i.map.fallback(v, v.fallback);
      const d = desired.get(destId(dest));
      fallback = {
        label: `${dest.family === 'inet6' ? `[${dest.address}]` : dest.address}:${dest.port}`,
        desiredWeight: d?.role === 'fallback' ? weightOf(d.want) : null,
        kernelWeight: kernel.get(destId(dest)) ?? null,
      };
    }
    const fallbackCommand = i.fallbackState.get(v.id);
    return {
      vid: v.id,
      label: view?.desired.label ?? v.id,
      reals,
      ...(fallback === undefined ? {} : { fallback }),
      fallbackActive: view?.desired.fallbackActive,
      ...(fallbackCommand === undefined ? {} : { fallbackCommand }),
    };
  });
  const o = i.lastOutcome;
  return {
    file: i.config.file,
    state: i.state,
    virtuals,
    ...(o === undefined ? {} : { lastPass: { phase: o.phase, ops: o.ops.length, failed: o.result.failed.length } }),
  };
}
