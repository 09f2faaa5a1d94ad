import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import { readActual, SINGLE_GET_LIMIT } from '../../src/reconcile/actual';
import { destId, serviceId } from '../../src/reconcile/keys';
import { configMapping as map } from '../../src/reconcile/mapping';
import { real, virtual } from './support/fixtures';

const vs = Array.from({ length: SINGLE_GET_LIMIT + 2 }, (_, i) =>
  virtual(`10.0.1.${i + 1}`, 80, [real(`10.0.2.${i + 1}`)]),
);

describe('readActual', () => {
  test('reads only owned services: a few one by one, many with one dump; absent ones are simply missing', async () => {
    const ipvs = createMemoryIpvs();
    const foreign = virtual('10.9.9.9', 80, []);
    await ipvs.addService(map.service(foreign));
    for (const v of vs.slice(1)) {
      await ipvs.addService(map.service(v));
      await ipvs.addDest(map.service(v), map.dest(v, v.reals[0]!));
    }
    const reads = (): string[] =>
      ipvs.log
        .all()
        .filter((r) => !r.mutating)
        .map((r) => r.operation);
    const before = reads().length;

    const few = await readActual(
      ipvs,
      vs.slice(0, 2).map((v) => map.service(v)),
    );
    expect([...few.keys()]).toHaveLength(1); // vs[0] is not in the kernel
    expect(reads().slice(before)).toEqual(['get-service', 'get-service', 'list-dests']);

    const mark = reads().length;
    const many = await readActual(
      ipvs,
      vs.map((v) => map.service(v)),
    );
    expect(many.size).toBe(vs.length - 1);
    expect(reads().slice(mark)).toEqual(['list-services', ...Array(vs.length - 1).fill('list-dests')]);
    expect([...many.values()].every((s) => s.dests.length === 1)).toBe(true);
  });

  test("asks for every service's dests together and builds the table in the kernel's order", async () => {
    const ipvs = createMemoryIpvs();
    for (const v of vs) {
      await ipvs.addService(map.service(v));
      await ipvs.addDest(map.service(v), map.dest(v, v.reals[0]!));
    }
    // Holds every dest dump until all of them have been asked for, then answers them last-asked first.
    let asked = 0;
    const waiting: Array<() => void> = [];
    const client = Object.create(ipvs) as typeof ipvs;
    client.listDests = async (key) => {
      asked += 1;
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === vs.length) for (const r of waiting.reverse()) r();
      });
      return ipvs.listDests(key);
    };
    const table = await readActual(
      client,
      vs.map((v) => map.service(v)),
    );
    expect(asked).toBe(vs.length); // sequential asking would never release the first dump: no table at all
    expect([...table.values()].map((s) => serviceId(s.service))).toEqual(vs.map((v) => serviceId(map.service(v))));
    expect([...table.values()].map((s) => (s.dests[0] ? destId(s.dests[0]) : undefined))).toEqual(
      vs.map((v) => destId(map.dest(v, v.reals[0]!))),
    );
  });
});
