// The status page's POST /api/action: performs the operator's override (actions/perform.ts) and, when it
// changed something, puts it on the page's recent-events ring and in the log with the user's name.

import type { ActionContext, ActionOutcome } from '../actions/perform';
import { performAction } from '../actions/perform';
import type { ActionRequest } from '../actions/parse-action';
import type { Logger } from '../log/logger';
import type { TargetLabels } from '../metrics/feed';
import type { RecentEvent } from '../status/model';
import type { Ring } from '../status/ring';

export function operatorAction(
  ctx: ActionContext,
  page: {
    readonly labels: (targetId: string) => TargetLabels | undefined;
    readonly ring: Ring<RecentEvent>;
    readonly now: () => number;
    readonly logger: Logger;
  },
): (req: ActionRequest, user: string) => Promise<ActionOutcome> {
  return async (req, user) => {
    const outcome = await performAction(req, ctx);
    if (outcome.changed) {
      const l = page.labels(req.target);
      const text = `${req.override === 'none' ? 'override cleared' : req.override} by ${user || 'operator'}`;
      page.ring.push({
        at: page.now(),
        kind: 'operator',
        virtual: l?.virtual ?? '',
        real: l?.real ?? req.target,
        text,
      });
      page.logger.info(
        `operator ${user || '?'}: ${req.target} ${req.override === 'none' ? 'override cleared' : `set to ${req.override}`}`,
      );
    }
    return outcome;
  };
}
