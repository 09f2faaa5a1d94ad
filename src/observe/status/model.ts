// The status model served as /status.json, rendered by the page and by `ldirectord status`: the director's
// snapshot joined with the operator overrides and the recent transitions. Pure.

import type { DirectorSnapshot } from '../../reconcile/snapshot';

export interface RecentEvent {
  /** Epoch ms. */
  readonly at: number;
  readonly kind: 'up' | 'down' | 'operator';
  readonly virtual: string;
  readonly real: string;
  readonly text: string;
}

export interface StatusReal {
  readonly id: string;
  readonly real: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly override: 'drain' | 'maintenance' | 'none';
  readonly weight: {
    readonly configured: number;
    readonly desired: number | null | 'keep';
    readonly kernel: number | null;
  };
  readonly lastCheck: { readonly ok: boolean; readonly reason: string; readonly durationMs: number } | null;
}

export interface StatusVirtual {
  readonly id: string;
  readonly label: string;
  readonly fallback: {
    readonly label: string;
    readonly active: boolean | null;
    readonly kernelWeight: number | null;
  } | null;
  readonly reals: readonly StatusReal[];
}

export interface StatusModel {
  readonly version: 1;
  readonly generatedAt: number;
  readonly configFile: string;
  readonly state: 'running' | 'stopped';
  readonly lastPass: DirectorSnapshot['lastPass'] | null;
  /** The connection-sync daemons (null before the first pass of a director without them in its snapshot). */
  readonly syncDaemons: NonNullable<DirectorSnapshot['syncDaemons']> | null;
  /** BGP announcement (src/announce/keeper.ts): null while no virtual service has announce=yes. */
  readonly announce: NonNullable<DirectorSnapshot['announce']> | null;
  readonly virtuals: readonly StatusVirtual[];
  readonly recent: readonly RecentEvent[];
}

export function statusModel(
  snap: DirectorSnapshot,
  override: (targetId: string) => 'drain' | 'maintenance' | undefined,
  recent: readonly RecentEvent[],
  now: number,
  /** Weight in the kernel now by target id; undefined = use the snapshot's (the last pass's reading). */
  kernelWeights?: ReadonlyMap<string, number>,
): StatusModel {
  return {
    version: 1,
    generatedAt: now,
    configFile: snap.file,
    state: snap.state,
    lastPass: snap.lastPass ?? null,
    syncDaemons: snap.syncDaemons ?? null,
    announce: snap.announce ?? null,
    virtuals: snap.virtuals.map((v) => ({
      id: v.vid,
      label: v.label,
      fallback:
        v.fallback === undefined
          ? null
          : { label: v.fallback.label, active: v.fallbackActive ?? null, kernelWeight: v.fallback.kernelWeight },
      reals: v.reals.map((r) => ({
        id: r.targetId,
        real: r.label,
        health: r.health,
        override: override(r.targetId) ?? 'none',
        weight: {
          configured: r.configuredWeight,
          desired: r.desiredWeight,
          kernel: kernelWeights === undefined ? r.kernelWeight : (kernelWeights.get(r.targetId) ?? null),
        },
        lastCheck:
          r.lastResult === undefined
            ? null
            : { ok: r.lastResult.ok, reason: r.lastResult.reason, durationMs: r.lastResult.durationMs },
      })),
    })),
    recent: [...recent].reverse(),
  };
}
