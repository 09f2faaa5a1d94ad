import type { IpvsClient } from '../../src/ipvs/types';
import { apply, type ApplyEvent } from '../../src/reconcile/apply';
import { configMapping as map } from '../../src/reconcile/mapping';
import type { Op } from '../../src/reconcile/ops';
import { real, virtual } from './support/fixtures';
import { seededIpvs } from './support/table';

const r1 = real('10.0.0.5', 80, { weight: 5 });
const v = virtual('10.0.0.1', 80, [r1]);
const svc = map.service(v);
const base = { label: '10.0.0.1:80', destLabel: '10.0.0.5:80' };
const addDest = (w: number): Op => ({
  kind: 'add-dest',
  service: svc,
  dest: map.dest(v, r1, w),
  role: 'real',
  why: 'up',
  ...base,
});
const editDest = (w: number): Op => ({
  kind: 'edit-dest',
  service: svc,
  dest: map.dest(v, r1, w),
  role: 'real',
  why: 'up',
  ...base,
});
const delDest: Op = { kind: 'delete-dest', key: svc, dest: map.dest(v, r1), role: 'real', why: 'down', ...base };

describe('apply: idempotent like keepalived', () => {
  test('add of an existing dest becomes an edit (EEXIST → SET_DEST)', async () => {
    const ipvs = await seededIpvs([{ service: svc, dests: [map.dest(v, r1, 1)] }]);
    const res = await apply([addDest(5)], ipvs);
    expect(res.failed).toEqual([]);
    expect((await ipvs.listDests(svc)).map((d) => d.weight)).toEqual([5]);
    expect(
      ipvs.log
        .all()
        .filter((r) => r.mutating)
        .map((r) => `${r.operation}:${r.outcome}`),
    ).toEqual(['add-service:ok', 'add-dest:ok', 'add-dest:EEXIST', 'edit-dest:ok']);
  });

  test('edit of a missing dest becomes an add (ENOENT → NEW_DEST)', async () => {
    const ipvs = await seededIpvs([{ service: svc }]);
    expect((await apply([editDest(5)], ipvs)).failed).toEqual([]);
    expect((await ipvs.listDests(svc)).map((d) => `${d.address}:${d.weight}`)).toEqual(['10.0.0.5:5']);
  });

  test('deleting what is already gone is done, not a failure (ENOENT, ESRCH)', async () => {
    const ipvs = await seededIpvs([{ service: svc }]);
    const ops: Op[] = [
      delDest,
      { kind: 'delete-service', key: svc, label: '10.0.0.1:80', why: 'stop' },
      { kind: 'delete-service', key: svc, label: '10.0.0.1:80', why: 'stop' },
    ];
    const res = await apply(ops, ipvs);
    expect(res.failed).toEqual([]);
    expect(res.applied).toHaveLength(3);
    expect(await ipvs.listServices()).toEqual([]);
  });

  test('add of an existing service edits it; edit of a missing one adds it', async () => {
    const ipvs = await seededIpvs([{ service: { ...svc, scheduler: 'rr' } }]);
    await apply([{ kind: 'add-service', service: svc, label: '10.0.0.1:80' }], ipvs);
    expect((await ipvs.listServices()).map((s) => s.scheduler)).toEqual(['wrr']);
    await ipvs.deleteService(svc);
    expect((await apply([{ kind: 'edit-service', service: svc, label: '10.0.0.1:80' }], ipvs)).failed).toEqual([]);
    expect((await ipvs.listServices()).map((s) => s.scheduler)).toEqual(['wrr']);
  });

  test('a refused op is reported with its error code and the rest still run', async () => {
    const ipvs = await seededIpvs([]);
    const events: ApplyEvent[] = [];
    const other = virtual('10.0.0.2', 80, [r1]);
    const res = await apply(
      [addDest(5), { kind: 'add-service', service: map.service(other), label: '10.0.0.2:80' }],
      ipvs,
      (e) => events.push(e),
    );
    expect(res.failed.map((f) => (f.error as { code?: string }).code)).toEqual(['ESRCH']);
    expect(events.map((e) => `${e.type}:${e.op.kind}`)).toEqual(['failed:add-dest', 'applied:add-service']);
    expect((await ipvs.listServices()).map((s) => ('address' in s ? s.address : ''))).toEqual(['10.0.0.2']);
  });
});

describe('apply: stages run in order, the ops of one stage together', () => {
  // A client that records each call when it is issued and holds it until the test releases it.
  function heldClient(inner: IpvsClient) {
    const issued: string[] = [];
    const held: Array<() => void> = [];
    const client = new Proxy(inner, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (
          typeof value !== 'function' ||
          !['addService', 'addDest', 'editDest', 'deleteDest', 'deleteService'].includes(String(prop))
        )
          return value;
        return (...args: unknown[]) => {
          issued.push(
            `${String(prop)} ${JSON.stringify((args[1] as { address?: string } | undefined)?.address ?? '')}`,
          );
          return new Promise<void>((resolve) => held.push(resolve)).then(() =>
            (value as (...a: unknown[]) => Promise<void>).apply(target, args),
          );
        };
      },
    });
    const releaseAll = async (): Promise<void> => {
      while (held.length > 0) held.splice(0).forEach((r) => r());
      await new Promise((r) => setImmediate(r));
    };
    return { client, issued, releaseAll };
  }

  test('every op of a stage is issued before any of them answers; the next stage waits; events keep plan order', async () => {
    const r2 = real('10.0.0.6', 80, { weight: 5 });
    const r3 = real('10.0.0.7', 80);
    const v3 = virtual('10.0.0.1', 80, [r1, r2, r3]);
    const s3 = map.service(v3);
    const ipvs = await seededIpvs([{ service: s3, dests: [map.dest(v3, r3)] }]);
    const { client, issued, releaseAll } = heldClient(ipvs);
    const add = (r: typeof r1): Op => ({
      kind: 'add-dest',
      service: s3,
      dest: map.dest(v3, r, 5),
      role: 'real',
      why: 'up',
      label: '10.0.0.1:80',
      destLabel: `${r.address}:80`,
    });
    const ops: Op[] = [
      add(r1),
      add(r2),
      {
        kind: 'delete-dest',
        key: s3,
        dest: map.dest(v3, r3),
        role: 'real',
        why: 'down',
        label: '10.0.0.1:80',
        destLabel: '10.0.0.7:80',
      },
    ];
    const events: string[] = [];
    const done = apply(ops, client, (e) =>
      events.push(`${e.type} ${e.op.kind} ${'destLabel' in e.op ? e.op.destLabel : ''}`),
    );
    await new Promise((r) => setImmediate(r));
    expect(issued).toEqual(['addDest "10.0.0.5"', 'addDest "10.0.0.6"']); // both makes out, the break not yet
    await releaseAll();
    expect(issued).toEqual(['addDest "10.0.0.5"', 'addDest "10.0.0.6"', 'deleteDest "10.0.0.7"']);
    await releaseAll();
    const res = await done;
    expect(res.failed).toEqual([]);
    expect(events).toEqual([
      'applied add-dest 10.0.0.5:80',
      'applied add-dest 10.0.0.6:80',
      'applied delete-dest 10.0.0.7:80',
    ]);
    expect((await ipvs.listDests(s3)).map((d) => d.address).sort()).toEqual(['10.0.0.5', '10.0.0.6']);
  });
});
