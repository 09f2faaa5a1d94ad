import { apply, type ApplyEvent } from '../../src/reconcile/apply';
import { configMapping as map } from '../../src/reconcile/mapping';
import type { Op } from '../../src/reconcile/ops';
import { real, virtual } from './support/fixtures';
import { seededIpvs } from './support/table';

const r1 = real('10.0.0.5', 80, { weight: 5 });
const v = virtual('10.0.0.1', 80, [r1]);
const svc = map.service(v);
const base = { label: '10.0.0.1:80', destLabel: '10.0.0.5:80' };
const addDest = (w: number): Op => ({ kind: 'add-dest', service: svc, dest: map.dest(v, r1, w), role: 'real', why: 'up', ...base });
const editDest = (w: number): Op => ({ kind: 'edit-dest', service: svc, dest: map.dest(v, r1, w), role: 'real', why: 'up', ...base });
const delDest: Op = { kind: 'delete-dest', key: svc, dest: map.dest(v, r1), role: 'real', why: 'down', ...base };

describe('apply: idempotent like keepalived', () => {
  test('add of an existing dest becomes an edit (EEXIST → SET_DEST)', async () => {
    const ipvs = await seededIpvs([{ service: svc, dests: [map.dest(v, r1, 1)] }]);
    const res = await apply([addDest(5)], ipvs);
    expect(res.failed).toEqual([]);
    expect((await ipvs.listDests(svc)).map((d) => d.weight)).toEqual([5]);
    expect(ipvs.log.all().filter((r) => r.mutating).map((r) => `${r.operation}:${r.outcome}`)).toEqual(['add-service:ok', 'add-dest:ok', 'add-dest:EEXIST', 'edit-dest:ok']);
  });

  test('edit of a missing dest becomes an add (ENOENT → NEW_DEST)', async () => {
    const ipvs = await seededIpvs([{ service: svc }]);
    expect((await apply([editDest(5)], ipvs)).failed).toEqual([]);
    expect((await ipvs.listDests(svc)).map((d) => `${d.address}:${d.weight}`)).toEqual(['10.0.0.5:5']);
  });

  test('deleting what is already gone is done, not a failure (ENOENT, ESRCH)', async () => {
    const ipvs = await seededIpvs([{ service: svc }]);
    const ops: Op[] = [delDest, { kind: 'delete-service', key: svc, label: '10.0.0.1:80', why: 'stop' }, { kind: 'delete-service', key: svc, label: '10.0.0.1:80', why: 'stop' }];
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
    const res = await apply([addDest(5), { kind: 'add-service', service: map.service(other), label: '10.0.0.2:80' }], ipvs, (e) => events.push(e));
    expect(res.failed.map((f) => (f.error as { code?: string }).code)).toEqual(['ESRCH']);
    expect(events.map((e) => `${e.type}:${e.op.kind}`)).toEqual(['failed:add-dest', 'applied:add-service']);
    expect((await ipvs.listServices()).map((s) => ('address' in s ? s.address : ''))).toEqual(['10.0.0.2']);
  });
});
