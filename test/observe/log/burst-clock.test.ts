// The log's clock (src/observe/log/burst-clock.ts): read once per task, again in the next one.
import { burstClock } from '../../../src/observe/log/burst-clock';
import { ctime } from '../../../src/observe/log/ctime';

test('one read per task: the lines of a burst share it, the next task reads again', async () => {
  let reads = 0;
  const now = burstClock(() => 1_000 + 10 * ++reads);
  expect([now(), now(), now()]).toEqual([1_010, 1_010, 1_010]);
  expect(reads).toBe(1);
  await Promise.resolve();
  expect(now()).toBe(1_020);
  expect(reads).toBe(2);
});

test('ctime keeps the text of the last second and makes a new one for another second', () => {
  const t = new Date(2026, 10, 21, 13, 37, 18, 100).getTime();
  expect(ctime(t)).toBe('Sat Nov 21 13:37:18 2026');
  expect(ctime(t + 800)).toBe('Sat Nov 21 13:37:18 2026');
  expect(ctime(t + 900)).toBe('Sat Nov 21 13:37:19 2026');
  expect(ctime(t - 200)).toBe('Sat Nov 21 13:37:17 2026');
});
