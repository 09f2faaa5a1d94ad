// The check workers' pure decisions (src/health/workers/route.ts).
import { checkWorkerCount, pickWorker, restartDelayMs, runsInWorker } from '../../../src/health/workers/route';
import { deathLine } from '../../../src/health/workers/runner';
import { specFor } from '../spec-fixture';

test('network negotiations and TCP connects move to a worker; ping, external, UDP connect, on and off stay', () => {
  const moves = (o: Parameters<typeof specFor>[0]) => runsInWorker(specFor(o));
  expect(moves({ checktype: { kind: 'negotiate' }, service: 'http' })).toBe(true);
  expect(moves({ checktype: { kind: 'negotiate' }, service: 'mysql' })).toBe(true);
  expect(moves({ checktype: { kind: 'combined', n: 3 } })).toBe(true);
  expect(moves({ checktype: { kind: 'connect' }, protocol: 'tcp' })).toBe(true);
  expect(moves({ checktype: { kind: 'connect' }, protocol: 'udp' })).toBe(false);
  for (const kind of ['ping', 'external', 'external-perl', 'on', 'off'] as const)
    expect(moves({ checktype: { kind } })).toBe(false);
});

test('the live worker with the fewest checks in flight takes the next; the lowest index on a tie', () => {
  expect(pickWorker([3, 1, 1])).toBe(1);
  expect(pickWorker([undefined, 5, 2])).toBe(2);
  expect(pickWorker([0, 0])).toBe(0);
  expect(pickWorker([undefined, undefined])).toBe(-1);
  expect(pickWorker([])).toBe(-1);
});

test('a worker that had answered is replaced at once; one that never did, after 0.5 s doubling to 30 s', () => {
  expect([0, 1, 2, 3, 6, 7, 20].map(restartDelayMs)).toEqual([0, 500, 1000, 2000, 16_000, 30_000, 30_000]);
});

test('checkworkers when set; unset: none (every check on the main thread, as before)', () => {
  expect(checkWorkerCount(undefined)).toBe(0);
  expect(checkWorkerCount(0)).toBe(0);
  expect(checkWorkerCount(3)).toBe(3);
});

test('a worker death as the daemon logs it', () => {
  expect(deathLine({ worker: 2, why: 'exited (code 1): boom', failedChecks: 3, restartInMs: 0 })).toBe(
    'check worker 2 exited (code 1): boom; 3 checks in flight failed; replaced at once',
  );
  expect(deathLine({ worker: 1, why: 'could not start: ENOMEM', failedChecks: 1, restartInMs: 500 })).toBe(
    'check worker 1 could not start: ENOMEM; 1 check in flight failed; replaced in 0.5 s',
  );
});
