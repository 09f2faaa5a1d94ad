// Turning applied ops into alert changes stays linear in the number of ops (brief K item 1): the virtual of an
// op is found through an index built once per config, not a scan of config.virtuals per op, which made a start
// at 2,277 virtuals cost ~45 M comparisons. The work is counted as elements scanned (no timing).
import { serverChangeOf, virtualIndexer } from '../../src/daemon/process/director-events';
import type { ServerChange } from '../../src/daemon/alerts/events';
import type { Config } from '../../src/model/config';
import { toIpvsService } from '../../src/reconcile/to-ipvs';
import type { Op } from '../../src/reconcile/ops';
import { growth } from '../reconcile/support/scan-counter';
import { configFrom } from './support/virtuals';

const N = 150;
const LINEAR = 4.5;

const text = (n: number): string =>
  Array.from(
    { length: n },
    (_, i) => `virtual=127.0.0.1:${10000 + i}\n\treal=127.0.0.2:${10000 + i} masq\n\tchecktype=on\n`,
  ).join('');

/** One add-dest per virtual of `config`, as a start pass applies them. */
function addOps(config: Config): Op[] {
  return config.virtuals.map((v) => {
    const real = v.reals[0]!;
    return {
      kind: 'add-dest',
      role: 'real',
      why: 'up',
      service: toIpvsService(v),
      label: `127.0.0.1:${v.port}`,
      destLabel: `127.0.0.2:${real.port}`,
      dest: {
        family: 'inet',
        address: real.address,
        port: real.port,
        forwarding: 'masq',
        weight: 1,
        upperThreshold: 0,
        lowerThreshold: 0,
      },
    } satisfies Op;
  });
}

describe('director events → server changes, at scale', () => {
  it('does work linear in the ops (a scan of the virtuals per op grows 16x when both grow 4x)', async () => {
    const configs = new Map<number, Config>([
      [N, await configFrom(text(N))],
      [4 * N, await configFrom(text(4 * N))],
    ]);
    const opsOf = new Map([...configs].map(([n, c]) => [n, addOps(c)] as const));
    const seen = new Map<number, ServerChange[]>();
    const work = (n: number): void => {
      const config = configs.get(n)!;
      // As the factory's alert listener does: one index per factory, looked up per applied op.
      const virtualsOf = virtualIndexer();
      const changes: ServerChange[] = [];
      for (const op of opsOf.get(n)!) {
        const change = serverChangeOf(op, 'start', virtualsOf(config));
        if (change !== undefined) changes.push(change);
      }
      seen.set(n, changes);
    };
    const g = await growth(N, work);
    // Every op found its own virtual (the index answers what the scan answered).
    for (const [n, c] of configs) expect(seen.get(n)!.map((ch) => ch.virtual)).toEqual(c.virtuals);
    expect(g.ratio).toBeLessThanOrEqual(LINEAR);
  });
});
