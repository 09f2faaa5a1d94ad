// The in-memory IPVS table does O(1) work per dest op (issue 12 item 4): adding, editing and deleting 4× the
// dests of one service scans about 4× as many elements, not 16× (test/reconcile/support/scan-counter.ts).
import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import { dest, service } from '../reconcile/support/linear-fixture';
import { growth } from '../reconcile/support/scan-counter';

/** n adds, n edits, a dump, n deletes; returns what the dump listed. */
async function churn(n: number): Promise<number> {
  const ipvs = createMemoryIpvs();
  await ipvs.addService(service);
  for (let i = 0; i < n; i++) await ipvs.addDest(service, dest(i));
  for (let i = 0; i < n; i++) await ipvs.editDest(service, dest(i, 0));
  const listed = (await ipvs.listDests(service)).length;
  for (let i = 0; i < n; i++) await ipvs.deleteDest(service, dest(i));
  return listed;
}

test('dest ops on one service: 4× the ops cost at most ~4× the scans', async () => {
  await expect(churn(3)).resolves.toBe(3);
  const g = await growth(500, churn);
  expect(g.ratio).toBeLessThanOrEqual(4.5);
});
