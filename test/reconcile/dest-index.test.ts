// The dests' index kept beside a known table's arrays (src/reconcile/dest-index.ts): folding a pass's ops
// carries it over to the new array, and it always says what the array holds.
import type { IpvsDestEntry } from '../../src/ipvs/types';
import { destIndex } from '../../src/reconcile/dest-index';
import type { ActualService } from '../../src/reconcile/desired';
import { destId, serviceId } from '../../src/reconcile/keys';
import { foldApplied } from '../../src/reconcile/known-table';
import type { Op } from '../../src/reconcile/ops';
import { dest, service } from './support/linear-fixture';

const labels = { role: 'real', label: '10.0.0.1:80', destLabel: 'r' } as const;
const sid = serviceId(service);

/** What an index should be: the array's entries by id. */
const indexOf = (dests: readonly IpvsDestEntry[]): Map<string, IpvsDestEntry> =>
  new Map(dests.map((d) => [destId(d), d]));

test('folded passes hand the index over to each new array, and it matches the array', () => {
  const known = new Map<string, ActualService>();
  const pass = (applied: Op[]): readonly IpvsDestEntry[] => {
    foldApplied(known, { applied, failed: [] });
    return known.get(sid)!.dests;
  };
  const first = pass([
    { kind: 'add-service', service, label: labels.label },
    ...[0, 1, 2, 3].map((i): Op => ({ kind: 'add-dest', service, dest: dest(i), why: 'up', ...labels })),
  ]);
  const firstIndex = destIndex(first);
  expect(new Map(firstIndex)).toEqual(indexOf(first));

  const second = pass([
    { kind: 'delete-dest', key: service, dest: dest(1), why: 'down', ...labels },
    { kind: 'edit-dest', service, dest: dest(2, 0), why: 'quiesce', ...labels },
    { kind: 'add-dest', service, dest: dest(4), why: 'up', ...labels },
  ]);
  expect(destIndex(second)).toBe(firstIndex); // taken over, not made again
  expect(new Map(destIndex(second))).toEqual(indexOf(second));
  expect(second.map((d) => [d.address, d.weight])).toEqual([
    ['10.64.0.1', 1],
    ['10.64.0.3', 0],
    ['10.64.0.4', 1],
    ['10.64.0.5', 1],
  ]);
  // The old array lost its index to the new one: asked again, it is indexed afresh from its own entries.
  expect(new Map(destIndex(first))).toEqual(indexOf(first));
  expect(destIndex(first)).not.toBe(destIndex(second));
});

test('a failed op drops the service from the known table, and with it the index', () => {
  const known = new Map<string, ActualService>();
  const add: Op = { kind: 'add-dest', service, dest: dest(0), why: 'up', ...labels };
  foldApplied(known, { applied: [{ kind: 'add-service', service, label: labels.label }, add], failed: [] });
  foldApplied(known, { applied: [], failed: [{ op: { ...add, dest: dest(1) }, error: new Error('EEXIST') }] });
  expect(known.has(sid)).toBe(false);
});
