// One operator action (set or clear drain/maintenance on a real server), validated against the running
// config, then applied the way the director expects: maintenance changes the pool's targets (forced down),
// and a full pass brings the kernel in line at once. Pure validation is in parse-action.ts.

import type { HealthPoolApi, PoolTarget } from '../../health/types';
import type { Config } from '../../model/config';
import { labelsOfConfig } from '../metrics/target-labels';
import { canonicalTargetId } from './target-id';
import type { ActionRequest } from './parse-action';
import type { OperatorOverrides } from './overrides';

export interface ActionContext {
  readonly overrides: OperatorOverrides;
  readonly config: () => Config;
  readonly pool: Pick<HealthPoolApi, 'setTargets'>;
  /** The decorated targets function the director was given. */
  readonly targets: (c: Config) => readonly PoolTarget[];
  readonly resync: () => Promise<unknown>;
}

export class ActionError extends Error {
  constructor(
    readonly code: 'ACTION_UNKNOWN_TARGET' | 'ACTION_BAD_REQUEST' | 'ACTION_NOT_SAVED',
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

export interface ActionOutcome {
  readonly target: string;
  readonly override: 'drain' | 'maintenance' | 'none';
  readonly changed: boolean;
}

export async function performAction(req: ActionRequest, ctx: ActionContext): Promise<ActionOutcome> {
  const config = ctx.config();
  const known = new Set(labelsOfConfig(config).keys());
  // Overrides of servers a reload removed are forgotten here, at the next action.
  ctx.overrides.retain(known);
  if (!known.has(canonicalTargetId(req.target))) {
    throw new ActionError(
      'ACTION_UNKNOWN_TARGET',
      `no real server ${JSON.stringify(req.target)} in the running configuration`,
      404,
    );
  }
  const before = ctx.overrides.get(req.target);
  const next = req.override === 'none' ? undefined : req.override;
  let changed: boolean;
  try {
    // Durable before it takes effect: a save that fails answers 500 with the reason and changes nothing.
    changed = await ctx.overrides.change(req.target, next);
  } catch (e) {
    throw new ActionError('ACTION_NOT_SAVED', (e as Error).message, 500);
  }
  if (changed) {
    if (before === 'maintenance' || next === 'maintenance') ctx.pool.setTargets(ctx.targets(config));
    await ctx.resync();
  }
  return { target: req.target, override: req.override, changed };
}
