import { createAnnounceKeeper } from '../../src/announce/keeper';
import type { FeedMessage } from '../../src/announce/feed';
import { planAnnouncements, type ServiceState } from '../../src/announce/plan';

function setup() {
  const published: FeedMessage[] = [];
  const lines: string[] = [];
  let closed = 0;
  let t = 1000;
  const keeper = createAnnounceKeeper({
    socket: '/run/a.sock',
    server: { publish: (m) => published.push(m), clients: () => 2, close: async () => void closed++ },
    logger: { info: (m) => lines.push(`info ${m}`), error: (m) => lines.push(`error ${m}`) },
    now: () => t,
  });
  const svc = (healthyReals: number): ServiceState => ({
    vid: 'tcp:10.0.0.1:80',
    address: '10.0.0.1',
    family: 'inet',
    announce: true,
    healthyReals,
    fallbackServing: false,
    announceFallback: false,
    tableAgrees: true,
  });
  const update = (healthy: number, at: number) => {
    t = at;
    keeper.update(planAnnouncements({ running: true, services: [svc(healthy)] }), 'self');
  };
  return { keeper, published, lines, update, closed: () => closed };
}

describe('announce keeper', () => {
  it('publishes each change once, logs it and counts changes of side', () => {
    const s = setup();
    s.update(1, 1000);
    s.update(1, 2000); // nothing changed: nothing published, nothing logged
    s.update(0, 3000);
    s.update(2, 4000);
    expect(s.published).toEqual([
      { routes: ['10.0.0.1/32'], nexthop: 'self' },
      { routes: [], nexthop: 'self' },
      { routes: ['10.0.0.1/32'], nexthop: 'self' },
    ]);
    expect(s.lines).toEqual([
      'info Announce: 10.0.0.1/32 announced (serving)',
      'info Announce: 10.0.0.1/32 withdrawn (no healthy real server (tcp:10.0.0.1:80))',
      'info Announce: 10.0.0.1/32 announced (serving)',
    ]);
    expect(s.keeper.status()).toEqual({
      socket: '/run/a.sock',
      nexthop: 'self',
      speakers: 2,
      prefixes: [{ prefix: '10.0.0.1/32', announce: true, reason: 'serving', since: 4000, transitions: 2 }],
      errors: 0,
      lastError: null,
    });
  });

  it('withdraws everything at stop, closes the feed, and ignores updates after', async () => {
    const s = setup();
    s.update(1, 1000);
    s.keeper.error('announce socket /run/a.sock: EPIPE');
    await s.keeper.stop();
    s.update(1, 5000);
    expect(s.published).toEqual([
      { routes: ['10.0.0.1/32'], nexthop: 'self' },
      { routes: [], nexthop: 'self' },
    ]);
    expect(s.closed()).toBe(1);
    expect(s.keeper.status()).toMatchObject({
      prefixes: [{ prefix: '10.0.0.1/32', announce: false, reason: 'director stopped', transitions: 1 }],
      errors: 1,
      lastError: { at: 1000, message: 'announce socket /run/a.sock: EPIPE' },
    });
    expect(s.lines).toContain('info Announce: 10.0.0.1/32 withdrawn (director stopped)');
  });
});
