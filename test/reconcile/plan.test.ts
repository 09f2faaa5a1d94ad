import { readActual } from '../../src/reconcile/actual';
import { desiredTable, realTargetId, type HealthOf } from '../../src/reconcile/desired';
import type { ShapeCache } from '../../src/reconcile/shapes';
import { configMapping as map } from '../../src/reconcile/mapping';
import { plan } from '../../src/reconcile/plan';
import type { Config } from '../../src/model/config';
import type { IpvsClient } from '../../src/ipvs/types';
import { config, fallback, real, virtual } from './support/fixtures';
import { seededIpvs, show } from './support/table';

const r1 = real('10.0.0.5', 80, { weight: 5 });
const r2 = real('10.0.0.6', 80, { weight: 3 });
const v = virtual('10.0.0.1', 80, [r1, r2]);
const vf = virtual('10.0.0.1', 80, [r1, r2], { fallback: fallback('127.0.0.1', 8080) });
const id1 = realTargetId(v, r1);
const id2 = realTargetId(v, r2);
const health =
  (states: Record<string, boolean>): HealthOf =>
  (id) =>
    states[id];
const svc = map.service(v);
const d1 = (w = 5) => map.dest(v, r1, w);
const d2 = (w = 3) => map.dest(v, r2, w);
const fb = map.fallback(vf, vf.fallback!);

async function planFor(c: Config, ipvs: IpvsClient, h: HealthOf) {
  const actual = await readActual(
    ipvs,
    c.virtuals.map((x) => map.service(x)),
  );
  return show(plan(desiredTable(c, h, actual, map), actual));
}

describe('plan: exact operation lists', () => {
  test('fresh table, no health known yet: only the virtual service is programmed', async () => {
    expect(await planFor(config([vf]), await seededIpvs([]), health({}))).toEqual(['add-service 10.0.0.1:80']);
  });

  test('fresh table, both reals up: service first, then the reals in config order', async () => {
    expect(await planFor(config([v]), await seededIpvs([]), health({ [id1]: true, [id2]: true }))).toEqual([
      'add-service 10.0.0.1:80',
      'add-dest 10.0.0.5:80 (10.0.0.1:80) w=5 up',
      'add-dest 10.0.0.6:80 (10.0.0.1:80) w=3 up',
    ]);
  });

  test('addbeforecheck=yes: reals enter at their weight before their first check, the fallback stays out', async () => {
    const c = config([vf], { addbeforecheck: true });
    expect(await planFor(c, await seededIpvs([]), health({}))).toEqual([
      'add-service 10.0.0.1:80',
      'add-dest 10.0.0.5:80 (10.0.0.1:80) w=5 up',
      'add-dest 10.0.0.6:80 (10.0.0.1:80) w=3 up',
    ]);
    // The first check decides as usual: a failure takes the real out again.
    const ipvs = await seededIpvs([{ service: svc, dests: [d1(), d2()] }]);
    expect(await planFor(c, ipvs, health({ [id1]: false }))).toEqual(['delete-dest 10.0.0.5:80 (10.0.0.1:80) down']);
  });

  test('a table that already matches needs nothing', async () => {
    const ipvs = await seededIpvs([{ service: svc, dests: [d1(), d2()] }]);
    expect(await planFor(config([v]), ipvs, health({ [id1]: true, [id2]: true }))).toEqual([]);
  });

  test('a real server fails (quiescent=no): deleted', async () => {
    const ipvs = await seededIpvs([{ service: svc, dests: [d1(), d2()] }]);
    expect(await planFor(config([v]), ipvs, health({ [id1]: false, [id2]: true }))).toEqual([
      'delete-dest 10.0.0.5:80 (10.0.0.1:80) down',
    ]);
  });

  test('the last real fails: the fallback enters before the real leaves', async () => {
    const ipvs = await seededIpvs([{ service: svc, dests: [d2()] }]);
    expect(await planFor(config([vf]), ipvs, health({ [id1]: false, [id2]: false }))).toEqual([
      'add-dest 127.0.0.1:8080 (10.0.0.1:80) w=1 up',
      'delete-dest 10.0.0.6:80 (10.0.0.1:80) down',
    ]);
  });

  test('a real recovers: it enters before the fallback leaves', async () => {
    const ipvs = await seededIpvs([{ service: svc, dests: [fb] }]);
    expect(await planFor(config([vf]), ipvs, health({ [id1]: true, [id2]: false }))).toEqual([
      'add-dest 10.0.0.5:80 (10.0.0.1:80) w=5 up',
      'delete-dest 127.0.0.1:8080 (10.0.0.1:80) down',
    ]);
  });

  test('quiescent=yes: a failed real goes to weight 0 and stays, next to the fallback', async () => {
    const vq = virtual('10.0.0.1', 80, [r1, r2], { quiescent: true, fallback: fallback('127.0.0.1', 8080) });
    const ipvs = await seededIpvs([{ service: svc, dests: [d1(), d2()] }]);
    expect(await planFor(config([vq]), ipvs, health({ [id1]: false, [id2]: false }))).toEqual([
      'add-dest 127.0.0.1:8080 (10.0.0.1:80) w=1 up',
      'edit-dest 10.0.0.5:80 (10.0.0.1:80) w=0 quiesce',
      'edit-dest 10.0.0.6:80 (10.0.0.1:80) w=0 quiesce',
    ]);
  });

  test('quiescent=yes and the real is missing: re-added at weight 0 only with readdquiescent=yes', async () => {
    const vq = virtual('10.0.0.1', 80, [r1, r2], { quiescent: true });
    const h = health({ [id1]: false, [id2]: true });
    const seed = () => seededIpvs([{ service: svc, dests: [d2()] }]);
    expect(await planFor(config([vq]), await seed(), h)).toEqual([]);
    expect(await planFor(config([vq], { readdquiescent: true }), await seed(), h)).toEqual([
      'add-dest 10.0.0.5:80 (10.0.0.1:80) w=0 readd',
    ]);
  });

  test('a quiesced real that recovers is restored to its weight', async () => {
    const vq = virtual('10.0.0.1', 80, [r1, r2], { quiescent: true });
    const ipvs = await seededIpvs([{ service: svc, dests: [d1(0), d2()] }]);
    expect(await planFor(config([vq]), ipvs, health({ [id1]: true, [id2]: true }))).toEqual([
      'edit-dest 10.0.0.5:80 (10.0.0.1:80) w=5 up',
    ]);
  });

  test('adoption: unknown health keeps whatever the kernel has, even a weight that differs', async () => {
    const ipvs = await seededIpvs([{ service: svc, dests: [d1(2)] }]);
    expect(await planFor(config([vf]), ipvs, health({}))).toEqual([]);
  });

  test('adoption: no real serving and one still pending keeps the fallback as it is', async () => {
    const withFb = await seededIpvs([{ service: svc, dests: [fb] }]);
    expect(await planFor(config([vf]), withFb, health({ [id1]: false }))).toEqual([]);
    const without = await seededIpvs([{ service: svc, dests: [] }]);
    expect(await planFor(config([vf]), without, health({ [id1]: false }))).toEqual([]);
    expect(await planFor(config([vf]), without, health({ [id1]: false, [id2]: false }))).toEqual([
      'add-dest 127.0.0.1:8080 (10.0.0.1:80) w=1 up',
    ]);
  });

  test('an adopted serving real keeps the fallback out', async () => {
    const ipvs = await seededIpvs([{ service: svc, dests: [d1(), fb] }]);
    expect(await planFor(config([vf]), ipvs, health({ [id2]: false }))).toEqual([
      'delete-dest 127.0.0.1:8080 (10.0.0.1:80) down',
    ]);
  });

  test('a dest in an owned service that the config does not name is purged; other services are never touched', async () => {
    const other = virtual('10.9.9.9', 80, [real('10.9.9.10')]);
    const ipvs = await seededIpvs([
      { service: svc, dests: [d1(), map.dest(v, real('10.0.0.99', 80, { weight: 1 }))] },
      { service: map.service(other), dests: [map.dest(other, other.reals[0]!)] },
    ]);
    expect(await planFor(config([v]), ipvs, health({ [id1]: true }))).toEqual([
      'delete-dest 10.0.0.99:80 (10.0.0.1:80) stray',
    ]);
  });

  test('strays are purged in natural address order, whatever order the kernel lists them in', async () => {
    const stray = (ip: string) => map.dest(v, real(ip, 80, { weight: 1 }));
    const ipvs = await seededIpvs([
      { service: svc, dests: [d1(), stray('10.0.0.100'), stray('10.0.0.9'), stray('10.0.0.20')] },
    ]);
    expect(await planFor(config([v]), ipvs, health({ [id1]: true }))).toEqual([
      'delete-dest 10.0.0.9:80 (10.0.0.1:80) stray',
      'delete-dest 10.0.0.20:80 (10.0.0.1:80) stray',
      'delete-dest 10.0.0.100:80 (10.0.0.1:80) stray',
    ]);
  });

  test('a changed scheduler edits the service before touching dests', async () => {
    const ipvs = await seededIpvs([{ service: { ...svc, scheduler: 'rr' }, dests: [] }]);
    const ops = await planFor(config([v]), ipvs, health({ [id1]: true }));
    expect(ops).toEqual(['edit-service 10.0.0.1:80', 'add-dest 10.0.0.5:80 (10.0.0.1:80) w=5 up']);
  });

  test('make before break across services; removed services lose their dests, then go', async () => {
    const w = virtual('10.0.0.2', 80, [real('10.0.0.7', 80)]);
    const gone = virtual('10.0.0.3', 80, [real('10.0.0.8', 80)]);
    const idw = realTargetId(w, w.reals[0]!);
    const ipvs = await seededIpvs([
      { service: svc, dests: [d1()] },
      { service: map.service(gone), dests: [map.dest(gone, gone.reals[0]!)] },
    ]);
    const c = config([v, w]);
    const owned = [...c.virtuals, gone].map((x) => map.service(x));
    const actual = await readActual(ipvs, owned);
    const ops = plan(desiredTable(c, health({ [id1]: false, [idw]: true }), actual, map), actual, [
      { key: map.service(gone), label: '10.0.0.3:80', why: 'removed' },
    ]);
    expect(show(ops)).toEqual([
      'add-service 10.0.0.2:80',
      'add-dest 10.0.0.7:80 (10.0.0.2:80) w=1 up',
      'delete-dest 10.0.0.5:80 (10.0.0.1:80) down',
      'delete-dest 10.0.0.8:80 (10.0.0.3:80) purge',
      'delete-service 10.0.0.3:80 removed',
    ]);
  });

  test('the same real in two virtuals is decided per virtual (docs/behaviour.md §5.2 #7 fixed)', async () => {
    const w = virtual('10.0.0.2', 80, [r1]);
    const ipvs = await seededIpvs([
      { service: svc, dests: [d1()] },
      { service: map.service(w), dests: [map.dest(w, r1)] },
    ]);
    expect(await planFor(config([v, w]), ipvs, health({ [id1]: true, [realTargetId(w, r1)]: false }))).toEqual([
      'delete-dest 10.0.0.5:80 (10.0.0.2:80) down',
    ]);
  });
});

describe('desired table with a shape cache (a reconciler keeps one across its passes)', () => {
  test('the same virtual object reuses its shapes; another object with the same id is shaped afresh', async () => {
    const shapes: ShapeCache = new WeakMap();
    const up = health({ [id1]: true, [id2]: true });
    const first = desiredTable(config([v]), up, new Map(), map, shapes);
    const again = desiredTable(config([v]), up, new Map(), map, shapes);
    expect(again.services[0]?.dests[0]?.want).toBe(first.services[0]?.dests[0]?.want);
    const heavier = virtual('10.0.0.1', 80, [real('10.0.0.5', 80, { weight: 9 }), r2]);
    const changed = desiredTable(config([heavier]), up, new Map(), map, shapes);
    expect(changed).toEqual(desiredTable(config([heavier]), up, new Map(), map));
    expect(changed.services[0]?.dests.map((d) => d.want.kind === 'present' && d.want.dest.weight)).toEqual([9, 3]);
  });
});

describe("the kernel's entry of each real, whatever the order of the dump", () => {
  const r3 = real('10.0.0.7', 80, { weight: 2 });
  const v3 = virtual('10.0.0.1', 80, [r1, r2, r3]);
  const up3 = health({ [id1]: true, [id2]: true, [realTargetId(v3, r3)]: true });
  const d3 = (w = 2) => map.dest(v3, r3, w);

  test.each([
    ['added in config order (the dump lists them newest first)', () => [d1(), d2(), d3(4)]],
    ['added in reverse order', () => [d3(4), d2(), d1()]],
    ['added out of order', () => [d2(), d3(4), d1()]],
  ])('%s: only the changed weight is edited', async (_, dests) => {
    const ipvs = await seededIpvs([{ service: svc, dests: dests() }]);
    expect(await planFor(config([v3]), ipvs, up3)).toEqual(['edit-dest 10.0.0.7:80 (10.0.0.1:80) w=2 up']);
  });

  test('an IPv6 real written in a long form finds its entry', async () => {
    const long = real('2001:db8:0:0::0005', 80, { family: 'inet6' });
    const v6 = virtual('2001:db8::1', 80, [long], { family: 'inet6' });
    const ipvs = await seededIpvs([
      { service: map.service(v6), dests: [{ ...map.dest(v6, long), address: '2001:db8::5' }] },
    ]);
    expect(await planFor(config([v6]), ipvs, health({ [realTargetId(v6, long)]: true }))).toEqual([]);
  });
});

test('a shape cache still asks the mapping for every entry at every pass (an operator drain sets weight 0)', () => {
  const shapes: ShapeCache = new WeakMap();
  const drained = new Set<string>();
  const overriding: typeof map = {
    ...map,
    dest: (x, r, w) => (drained.has(realTargetId(x, r)) ? map.dest(x, r, 0) : map.dest(x, r, w)),
  };
  const up = health({ [id1]: true, [id2]: true });
  const weights = (): unknown =>
    desiredTable(config([v]), up, new Map(), overriding, shapes).services[0]?.dests.map(
      (d) => d.want.kind === 'present' && d.want.dest.weight,
    );
  expect(weights()).toEqual([5, 3]);
  drained.add(id1);
  expect(weights()).toEqual([0, 3]);
  drained.clear();
  expect(weights()).toEqual([5, 3]);
});

describe('a pass reuses what did not change (bench/reconcile-trickle.ts)', () => {
  test("an unchanged real's entry is the last table's object; a changed health or kernel entry makes a new one", async () => {
    const shapes: ShapeCache = new WeakMap();
    const states: Record<string, boolean> = { [id1]: true };
    const h: HealthOf = (id) => states[id];
    const ipvs = await seededIpvs([{ service: svc, dests: [d1()] }]);
    const actual = await readActual(ipvs, [svc]);
    const first = desiredTable(config([v]), h, actual, map, shapes).services[0]!.dests;
    const again = desiredTable(config([v]), h, actual, map, shapes).services[0]!.dests;
    expect(again[0]).toBe(first[0]);
    expect(again[1]).toBe(first[1]); // pending (keep) and absent: the same
    states[id2] = false;
    const down = desiredTable(config([v]), h, actual, map, shapes).services[0]!.dests;
    expect(down[0]).toBe(first[0]);
    expect(down[1]).not.toBe(first[1]);
    expect(down[1]!.want).toEqual({ kind: 'absent' });
    // A new dump: new entry objects (the in-memory table hands out its own, so they are copied here).
    const reread = new Map([...actual].map(([k, e]) => [k, { ...e, dests: e.dests.map((d) => ({ ...d })) }]));
    const fresh = desiredTable(config([v]), h, reread, map, shapes).services[0]!.dests;
    expect(fresh[0]).not.toBe(first[0]);
    // Whatever was reused, the table is the one made without a cache.
    expect(fresh).toEqual(desiredTable(config([v]), h, reread, map).services[0]!.dests);
  });

  test('a quiesced real keeps one want object from pass to pass, at weight 0', async () => {
    const shapes: ShapeCache = new WeakMap();
    const q = virtual('10.0.0.1', 80, [r1, r2], { quiescent: true });
    const h = health({ [realTargetId(q, r1)]: false, [realTargetId(q, r2)]: true });
    const ipvs = await seededIpvs([{ service: svc, dests: [d1(), d2()] }]);
    const actual = await readActual(ipvs, [svc]);
    const first = desiredTable(config([q]), h, actual, map, shapes).services[0]!.dests[0]!;
    const again = desiredTable(config([q]), h, actual, map, shapes).services[0]!.dests[0]!;
    expect(first.want).toEqual({ kind: 'present', dest: d1(0), why: 'quiesce' });
    expect(again).toBe(first);
  });

  test('the mapping gives the same entry object for a real at its configured weight, a new one otherwise', () => {
    expect(map.dest(v, r1)).toBe(map.dest(v, r1));
    expect(map.dest(v, r1, 0)).not.toBe(map.dest(v, r1, 0));
    expect(map.dest(v, r1, 0)).toEqual({ ...map.dest(v, r1), weight: 0 });
    const other = virtual('10.0.0.2', 81, [r1], {}); // the same real object in another virtual
    expect(map.dest(other, r1)).not.toBe(map.dest(v, r1));
    expect(map.dest(v, r1)).toBe(map.dest(v, r1));
  });
});
