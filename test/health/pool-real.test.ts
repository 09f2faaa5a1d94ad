// The pool with the real clock and real checks: results arrive as transitions, and stop() leaves no
// socket, timer or process behind.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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

test('an answer that reached the socket before the deadline, while the event loop was busy, is read before the deadline is judged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ldts-busy-'));
  const answered = join(dir, 'answered');
  // The server runs in its own process, so it answers while this one's event loop is blocked: it reports the
  // request on stdout, answers 100 ms later and then writes the marker file.
  const server = spawn(
    process.execPath,
    [
      '-e',
      `const net = require('node:net'), fs = require('node:fs');
       const s = net.createServer((c) => {
         c.once('data', () => {
           process.stdout.write('asked\\n');
           setTimeout(() => c.end('HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok', () => fs.writeFileSync(${JSON.stringify(answered)}, '')), 100);
         });
       });
       s.listen(0, '127.0.0.1', () => process.stdout.write('port ' + s.address().port + '\\n'));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const pool = createHealthPool({ clock: systemClock });
  try {
    const lines = createInterface({ input: server.stdout as NodeJS.ReadableStream });
    const port = await new Promise<number>((resolve) =>
      lines.once('line', (l: string) => resolve(Number(l.split(' ')[1]))),
    );
    const transition = new Promise<Transition>((resolve) =>
      pool.onTransitions((batch) => resolve(batch[0] as Transition)),
    );
    lines.on('line', (l: string) => {
      if (l !== 'asked') return;
      // This process's event loop is busy, as on a loaded director: blocked until the answer has been sent
      // and the check's 1 s deadline is past.
      const asked = Date.now();
      while (!existsSync(answered) || Date.now() - asked < 1200);
    });
    pool.setTargets([
      {
        id: 'busy',
        spec: specFor({ port, request: '/', receive: 'ok', negotiatetimeout: 1 }),
        intervalMs: 60_000,
        failurecount: 1,
        successcount: 1,
      },
    ]);
    pool.start();
    expect(await transition).toMatchObject({ up: true, reason: expect.stringContaining('200 OK') });
  } finally {
    await pool.stop();
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
