// A burst against the real kernel: 20,000 operations issued at once, as fast as the API takes them
// (200 services × 100 destinations added; then half of them deleted while the other half are edited;
// then all added again, half of which the kernel refuses as duplicates).
// Every operation must be answered (fulfilled: nothing lost, nothing rejected), the process must stay
// alive (the netlink addon aborts Node on a receive-buffer overrun if flow control fails), and ipvsadm
// must see exactly the resulting table.
import { openIpvs } from '../../src/ipvs';
import type { IpvsClient, IpvsDest, IpvsService } from '../../src/ipvs/types';
import { createIpvsadm } from '../support/ipvsadm';

const SERVICES = 200;
const DESTS = 100;
const NO_FLAGS = { persistent: false, onePacket: false, sched1: false, sched2: false, sched3: false };

const services: IpvsService[] = Array.from({ length: SERVICES }, (_, i) => ({
  family: 'inet',
  protocol: 'tcp',
  address: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
  port: 80,
  scheduler: 'wrr',
  flags: NO_FLAGS,
  timeout: 0,
  netmask: '255.255.255.255',
}));
const dest = (j: number, weight: number): IpvsDest => ({
  family: 'inet',
  address: `198.19.${Math.floor(j / 250)}.${(j % 250) + 1}`,
  port: 8080,
  forwarding: 'masq',
  weight,
  upperThreshold: 0,
  lowerThreshold: 0,
});

/** Issues every operation at once and reports how they settled. */
async function burst(ops: Array<() => Promise<void>>): Promise<{ fulfilled: number; rejected: string[] }> {
  const settled = await Promise.allSettled(ops.map((op) => op()));
  const rejected = settled.flatMap((s) =>
    s.status === 'rejected' ? [String((s.reason as { code?: string }).code ?? s.reason)] : [],
  );
  return { fulfilled: settled.length - rejected.length, rejected: [...new Set(rejected)] };
}

/** `ipvsadm -S -n` reduced to counts: services, and destinations by weight. */
async function witness(): Promise<{ services: number; dests: number; weights: Record<string, number> }> {
  const lines = (await createIpvsadm().save()).split('\n').filter((l) => l.includes(' 198.18.'));
  const weights: Record<string, number> = {};
  for (const l of lines.filter((x) => x.startsWith('-a '))) {
    const w = / -w (\d+)/.exec(l)?.[1] ?? '?';
    weights[w] = (weights[w] ?? 0) + 1;
  }
  return {
    services: lines.filter((l) => l.startsWith('-A ')).length,
    dests: lines.filter((l) => l.startsWith('-a ')).length,
    weights,
  };
}

describe('a burst of 20,000 operations on the real kernel', () => {
  let ipvs: IpvsClient;

  beforeAll(async () => {
    ipvs = await openIpvs({ timeoutMs: 30_000 }); // a loaded guest can be slow; slowness is not under test
  });
  afterAll(async () => {
    await burst(services.map((s) => () => ipvs.deleteService(s)));
    await ipvs.close();
  });

  test('200 services and 20,000 destinations added at once: all answered, all in the table', async () => {
    expect(await burst(services.map((s) => () => ipvs.addService(s)))).toEqual({ fulfilled: SERVICES, rejected: [] });
    const adds = services.flatMap((s) => Array.from({ length: DESTS }, (_, j) => () => ipvs.addDest(s, dest(j, 1))));
    expect(await burst(adds)).toEqual({ fulfilled: SERVICES * DESTS, rejected: [] });
    expect(await witness()).toEqual({ services: SERVICES, dests: SERVICES * DESTS, weights: { 1: SERVICES * DESTS } });
  });

  test('10,000 deletes mixed with 10,000 weight edits at once: all answered, the table exactly as asked', async () => {
    // Even-numbered destinations go; odd-numbered ones get weight 0, 2 or 3 (j % 3 over the 50 odd j: 17/17/16).
    const weightOf = (j: number): number => [0, 2, 3][j % 3] ?? 0;
    const mixed = services.flatMap((s) =>
      Array.from({ length: DESTS }, (_, j) =>
        j % 2 === 0 ? () => ipvs.deleteDest(s, dest(j, 0)) : () => ipvs.editDest(s, dest(j, weightOf(j))),
      ),
    );
    expect(await burst(mixed)).toEqual({ fulfilled: SERVICES * DESTS, rejected: [] });
    expect(await witness()).toEqual({
      services: SERVICES,
      dests: (SERVICES * DESTS) / 2,
      weights: { 0: 17 * SERVICES, 2: 17 * SERVICES, 3: 16 * SERVICES },
    });
  });

  test('the same burst repeated gives one kernel answer per operation, attributed to the right call', async () => {
    // Every add again: each of the 10,000 remaining destinations is a duplicate (EEXIST), each deleted one is new.
    const again = services.flatMap((s) => Array.from({ length: DESTS }, (_, j) => () => ipvs.addDest(s, dest(j, 5))));
    const settled = await Promise.allSettled(again.map((op) => op()));
    const outcome = settled.map(
      (r, k) =>
        `${(k % DESTS) % 2 === 0 ? 'was-deleted' : 'present'}:${r.status === 'fulfilled' ? 'ok' : (r.reason as { code?: string }).code}`,
    );
    const tally: Record<string, number> = {};
    for (const o of outcome) tally[o] = (tally[o] ?? 0) + 1;
    expect(tally).toEqual({ 'was-deleted:ok': (SERVICES * DESTS) / 2, 'present:EEXIST': (SERVICES * DESTS) / 2 });
    expect((await witness()).dests).toBe(SERVICES * DESTS);
  });
});
