// The pool with the real clock and real checks: results arrive as transitions, and stop() leaves no
// socket, timer or process behind.
import { chmodSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHealthPool } from '../../src/health/pool';
import { systemClock } from '../../src/health/clock';
import type { PoolTarget, Transition } from '../../src/health/types';
import { startHostile } from '../support/hostile';
import { leakedSince, processGroupMembers, snapshotHandles } from '../support/leaks';
import { specFor } from './spec-fixture';

test('real http checks: transitions for a good and a silent server, then a clean stop', async () => {
  const before = snapshotHandles();
  const good = await startHostile('http200');
  const silent = await startHostile('silent');
  const pool = createHealthPool({ clock: systemClock });
  const seen = new Map<string, Transition>();
  const both = new Promise<void>((resolve) =>
    pool.onTransitions((batch) => {
      for (const t of batch) seen.set(t.id, t);
      if (seen.size === 2) resolve();
    }),
  );
  const target = (id: string, port: number): PoolTarget => ({
    id,
    spec: specFor({ port, request: '/', receive: 'ok', negotiatetimeout: 1 }),
    intervalMs: 1000,
    failurecount: 1,
    successcount: 1,
  });
  pool.setTargets([target('good', good.port), target('silent', silent.port)]);
  pool.start();
  await both;
  await pool.stop();
  expect(seen.get('good')).toMatchObject({
    up: true,
    reason: `HTTP GET http://127.0.0.1:${good.port}/: 200 OK, body matches /ok/`,
  });
  expect(seen.get('silent')).toMatchObject({
    up: false,
    reason: `HTTP GET http://127.0.0.1:${silent.port}/: timed out after 1 s`,
  });
  await good.close();
  await silent.close();
  expect(await leakedSince(before)).toEqual([]);
});

test('stop() during an external check kills its process group and waits for it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ldts-pool-'));
  try {
    const before = snapshotHandles();
    const ready = join(dir, 'ready');
    const cmd = join(dir, 'hang.sh');
    writeFileSync(cmd, `#!/bin/sh\nsleep 1000 & echo $$ > ${ready}.tmp; mv ${ready}.tmp ${ready}; wait\n`);
    chmodSync(cmd, 0o755);
    const pool = createHealthPool({ clock: systemClock });
    const started = new Promise<void>((resolve) => {
      const watcher = watch(dir, (_e, name) => {
        if (name === 'ready') {
          watcher.close();
          resolve();
        }
      });
    });
    pool.setTargets([
      {
        id: 'ext',
        spec: specFor({ checktype: { kind: 'external' }, checkcommand: cmd, checktimeout: 60 }),
        intervalMs: 1000,
        failurecount: 1,
        successcount: 1,
      },
    ]);
    pool.start();
    await started;
    await pool.stop();
    expect(processGroupMembers(Number(readFileSync(ready, 'utf8')))).toEqual([]);
    expect(pool.isUp('ext')).toBeUndefined(); // a result cut short by stop() decides nothing
    expect(await leakedSince(before)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
