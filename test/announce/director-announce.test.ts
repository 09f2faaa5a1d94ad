// The announcer (src/daemon/process/announcer.ts) on a running director with the in-memory kernel: what the
// speaker's feed receives as health changes, as the kernel fails a read, and at stop.
import type { FeedMessage } from '../../src/announce/feed';
import type { FeedServerOptions } from '../../src/announce/server';
import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import type { Config } from '../../src/model/config';
import { createLogger, createMemorySink } from '../../src/observe/log/logger';
import { realTargetId } from '../../src/reconcile/desired';
import { announceInputOf, createAnnouncer, tableEventOf } from '../../src/daemon/process/announcer';
import { AGREED } from '../../src/announce/agreement';
import { harness } from '../daemon/director-harness';
import { config, real, virtual } from '../reconcile/support/fixtures';

const announce = { socket: '/run/test.sock', nexthop: 'self', byDefault: false, fallback: false, drainMs: 0 };
const web = virtual('10.0.0.1', 80, [real('10.0.0.5'), real('10.0.0.6')], { announce: true });
const mail = virtual('10.0.0.2', 25, [real('10.0.0.7', 25)], { announce: false });

async function setup(c: Config) {
  const ipvs = createMemoryIpvs();
  const hold = { of: (_vid: string): boolean => false };
  const h = await harness(c, { ipvs, holding: (vid) => hold.of(vid) });
  let snapshots = 0;
  const published: FeedMessage[] = [];
  const opened: FeedServerOptions[] = [];
  let closed = 0;
  const sink = createMemorySink();
  const announcer = createAnnouncer({
    config: () => c,
    snapshot: () => {
      snapshots += 1;
      return h.director.snapshot();
    },
    openFeed: async (o) => {
      opened.push(o);
      return { publish: (m) => published.push(m), clients: () => 1, close: async () => void closed++ };
    },
    logger: createLogger({ sink, now: h.clock.now, debugLevel: 0 }),
    clock: h.clock,
    isUp: (id) => h.pool.isUp(id),
    drained: () => void h.director.resync(),
  });
  hold.of = (vid) => announcer.holding(vid);
  h.director.subscribe(announcer.listener);
  await announcer.refresh();
  const routes = () => published.at(-1)?.routes;
  const report = async (up: Record<string, boolean>) => {
    const pass = h.nextPass('transition');
    h.pool.report(up);
    await pass;
  };
  return {
    h,
    ipvs,
    announcer,
    published,
    opened,
    routes,
    report,
    sink,
    closed: () => closed,
    snapshots: () => snapshots,
  };
}

describe('announcer on a running director', () => {
  it('takes no snapshot of the director while nothing is announced (a pass costs nothing), one per pass when it is', async () => {
    const quiet = await setup(config([{ ...web, announce: false }, mail]));
    const [r5] = web.reals.map((r) => realTargetId(web, r));
    await quiet.report({ [r5!]: true });
    await quiet.report({ [r5!]: false });
    expect(quiet.opened).toEqual([]);
    expect(quiet.snapshots()).toBe(0);
    const loud = await setup(config([web, mail], { announce }));
    const before = loud.snapshots();
    await loud.report({ [r5!]: true });
    await loud.report({ [r5!]: false });
    expect(loud.snapshots()).toBe(before + 2);
  });

  it('announces a VIP once a real is healthy, withdraws it when none is, and at stop before the table goes', async () => {
    const s = await setup(config([web, mail], { announce }));
    expect(s.opened.map((o) => o.path)).toEqual(['/run/test.sock']);
    expect(s.routes()).toEqual([]); // health not known yet: nothing served
    const [r5, r6] = web.reals.map((r) => realTargetId(web, r));
    await s.report({ [r5!]: true, [r6!]: false, [realTargetId(mail, mail.reals[0]!)]: true });
    expect(s.routes()).toEqual(['10.0.0.1/32']); // mail has announce=no
    await s.report({ [r5!]: false });
    expect(s.routes()).toEqual([]);
    await s.report({ [r6!]: true });
    expect(s.routes()).toEqual(['10.0.0.1/32']);
    expect(s.announcer.status()?.prefixes).toEqual([
      { prefix: '10.0.0.1/32', announce: true, reason: 'serving', since: expect.any(Number), transitions: 3 },
    ]);
    await s.announcer.stop();
    expect(s.routes()).toEqual([]);
    expect(s.closed()).toBe(1);
    expect(await s.h.table()).toContain('S tcp 10.0.0.1:80 wrr'); // the withdraw came before the purge
    await s.h.director.stop();
  });

  it('withdraws when a read of the kernel table fails, and announces again after a clean resync', async () => {
    const s = await setup(config([web], { announce, resyncinterval: 30 }));
    await s.report({ [realTargetId(web, web.reals[0]!)]: true });
    expect(s.routes()).toEqual(['10.0.0.1/32']);
    const listDests = s.ipvs.listDests.bind(s.ipvs);
    s.ipvs.listDests = () => Promise.reject(new Error('netlink: EBUSY'));
    await s.h.director.resync();
    expect(s.routes()).toEqual([]);
    expect(s.announcer.status()?.prefixes[0]?.reason).toBe('kernel table disagrees with the plan (tcp:10.0.0.1:80)');
    s.ipvs.listDests = listDests;
    await s.h.director.resync();
    expect(s.routes()).toEqual(['10.0.0.1/32']);
    await s.announcer.stop();
    await s.h.director.stop();
  });

  it('withdraws at once when the last real fails but keeps it in the table for announcedrain, then removes it', async () => {
    const s = await setup(config([web, mail], { announce: { ...announce, drainMs: 2000 }, quiescent: false }));
    const [r5, r6] = web.reals.map((r) => realTargetId(web, r));
    const mailReal = realTargetId(mail, mail.reals[0]!);
    await s.report({ [r5!]: true, [r6!]: false, [mailReal]: true });
    expect(s.routes()).toEqual(['10.0.0.1/32']);
    await s.report({ [r5!]: false });
    expect(s.routes()).toEqual([]); // withdrawn in the same pass
    expect(await s.h.table()).toContain('  D tcp 10.0.0.1:80 10.0.0.5:80 masq 1'); // but the router's late flows still land
    expect(s.h.takeOps()).not.toContain('delete-dest:ok');
    const resync = s.h.nextPass('resync');
    await s.h.clock.advanceAndSettle(2000);
    await resync;
    expect(await s.h.table()).not.toContain('  D tcp 10.0.0.1:80 10.0.0.5:80 masq 1');
    expect(s.sink.messages().some((l) => l.includes('announce: drain of tcp:10.0.0.1:80 over'))).toBe(true);
    // served again, then empty again: a new hold
    await s.report({ [r6!]: true });
    expect(s.routes()).toEqual(['10.0.0.1/32']);
    await s.report({ [r6!]: false });
    expect(s.routes()).toEqual([]);
    expect(await s.h.table()).toContain('  D tcp 10.0.0.1:80 10.0.0.6:80 masq 1');
    // mail is not announced: its last real goes at once
    await s.report({ [mailReal]: false });
    expect(await s.h.table()).not.toContain('  D tcp 10.0.0.2:25 10.0.0.7:25 masq 1');
    await s.announcer.stop();
    await s.h.director.stop();
  });

  it('opens no feed while no virtual service announces', async () => {
    const s = await setup(config([mail], { announce }));
    expect(s.opened).toEqual([]);
    expect(s.announcer.status()).toBeUndefined();
    await s.announcer.stop();
    await s.h.director.stop();
  });
});

describe('announce input', () => {
  it('maps the reconciler events that concern the table', () => {
    expect(tableEventOf({ type: 'pass', phase: 'resync', ops: 2, failed: 0 })).toEqual({
      type: 'pass',
      full: true,
      failed: 0,
    });
    expect(tableEventOf({ type: 'pass', phase: 'transition', ops: 1, failed: 1 })).toEqual({
      type: 'pass',
      full: false,
      failed: 1,
    });
    expect(tableEventOf({ type: 'read-failed', phase: 'resync', error: new Error('x') })).toEqual({
      type: 'read-failed',
    });
    expect(tableEventOf({ type: 'reloaded', file: 'x' })).toBeUndefined();
  });

  it('counts only reals that are up with a weight above 0', () => {
    const snap = {
      file: 'x',
      state: 'running' as const,
      virtuals: [
        {
          vid: web.id,
          label: 'x',
          fallbackActive: false,
          reals: [
            {
              targetId: 'a',
              label: 'a',
              health: 'up' as const,
              configuredWeight: 1,
              desiredWeight: 1,
              kernelWeight: 1,
            },
            {
              targetId: 'b',
              label: 'b',
              health: 'up' as const,
              configuredWeight: 0,
              desiredWeight: 0,
              kernelWeight: 0,
            },
            {
              targetId: 'c',
              label: 'c',
              health: 'down' as const,
              configuredWeight: 1,
              desiredWeight: null,
              kernelWeight: null,
            },
          ],
        },
      ],
    };
    expect(announceInputOf(config([web]), snap, AGREED).services).toEqual([
      {
        vid: web.id,
        address: '10.0.0.1',
        family: 'inet',
        announce: true,
        healthyReals: 1,
        fallbackServing: false,
        announceFallback: false,
        tableAgrees: true,
      },
    ]);
  });
});
