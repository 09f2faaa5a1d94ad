// The announcer as the composition root wires it (src/daemon/process/director-starter.ts): the feed opens at
// start, the VIP is announced once a real server is up, and at stop the withdrawal is published while the
// virtual service is still in the table (routes go before the table does).
import { createServerEvents } from '../../src/daemon/alerts/events';
import { directorStarter } from '../../src/daemon/process/director-starter';
import type { FeedMessage } from '../../src/announce/feed';
import type { PoolTarget } from '../../src/health/types';
import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import type { Config, DaemonState } from '../../src/model/config';
import { realTargetId } from '../../src/reconcile/desired';
import { createFakeClock, WALL_CLOCK_START } from '../support/fake-clock';
import { memoryLogger } from '../daemon/support/memory-logger';
import { configFrom } from '../daemon/support/virtuals';

const refuse = (): Promise<never> => Promise.reject(new Error('no file access expected'));
const CF =
  'checkinterval=1\nlogfile="/dev/null"\nstatusaddress=none\nannounce=yes\nannouncesocket=/run/test-announce.sock\n' +
  'virtual=127.0.0.1:8080\n\treal=127.0.0.2:8080 masq\n\tchecktype=on\n';

const targets = (c: Config): PoolTarget[] =>
  c.virtuals.flatMap((v) =>
    v.reals.map((r) => ({
      id: realTargetId(v, r),
      spec: { checktype: { kind: 'on' } } as unknown as PoolTarget['spec'],
      intervalMs: 1000,
      failurecount: 1,
      successcount: 1,
      forced: 'up' as const,
    })),
  );

it('announces while serving and withdraws at stop before the purge', async () => {
  const config = await configFrom(CF);
  const ipvs = createMemoryIpvs();
  const published: Array<{ message: FeedMessage; services: number }> = [];
  const paths: string[] = [];
  let closed = false;
  const start = directorStarter({
    ipvs: async () => ipvs,
    targets,
    clock: createFakeClock({ start: WALL_CLOCK_START }),
    spawn: async () => ({ code: 0, signal: null }),
    readFile: refuse,
    overridesFs: { readFile: refuse, writeFile: refuse, rename: refuse, syncDir: refuse, unlink: refuse },
    openFeed: async (o) => {
      paths.push(o.path);
      return {
        // The table as it is when each message goes out (the memory table is synchronous underneath).
        publish: (message) => void ipvs.listServices().then((s) => published.push({ message, services: s.length })),
        clients: () => 1,
        close: async () => void (closed = true),
      };
    },
  });
  const state: DaemonState = 'starting';
  const director = await start({
    config,
    dryRun: true,
    logger: memoryLogger(),
    state: () => state,
    events: createServerEvents(),
  });
  expect(paths).toEqual(['/run/test-announce.sock']);
  await director.stop();
  await new Promise((r) => setImmediate(r));
  // The start-up pass asks no check (the checks get their targets after it: src/daemon/director.ts), so the
  // feed's first message has no route; the forced-up real enters with the first transition pass.
  expect(published).toEqual([
    { message: { routes: [], nexthop: 'self' }, services: 1 },
    { message: { routes: ['127.0.0.1/32'], nexthop: 'self' }, services: 1 },
    { message: { routes: [], nexthop: 'self' }, services: 1 },
  ]);
  expect(closed).toBe(true);
  // cleanstop=yes: the service was purged, after the withdrawal went out
  expect(ipvs.log.all().filter((r) => r.mutating && r.operation === 'delete-service')).toHaveLength(1);
});
