// The check workers as real worker threads (thread.ts, worker-main.ts) against real servers on loopback:
// the same results as checks on the main thread, and a worker killed by an exception in a check is replaced
// while this process (the daemon, in production) goes on.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createHealthPool } from '../../../src/health/pool';
import { systemClock } from '../../../src/health/clock';
import { runCheck } from '../../../src/health/checks';
import type { PoolTarget, Transition } from '../../../src/health/types';
import { createCheckWorkers, type WorkerDeath } from '../../../src/health/workers/runner';
import { startWorkerThread } from '../../../src/health/workers/thread';
import { startCheckWorkers } from '../../../src/health/workers/start';
import { startHostile, type HostileServer } from '../../support/hostile';
import { descendants } from '../../support/leaks';
import { untilTrue } from '../../support/until';
import { specFor } from '../spec-fixture';

/** An HTTP server answering 200 "ok" on an ephemeral loopback port, which it prints. */
const SERVER_200 = `
const net = require('node:net');
const res = 'HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nConnection: close\\r\\n\\r\\nok';
const s = net.createServer((c) => { c.on('error', () => {}); c.once('data', () => c.end(res)); });
s.listen(0, '127.0.0.1', () => process.stdout.write(s.address().port + '\\n'));
`;

let good: HostileServer;
let silent: HostileServer;
beforeAll(async () => {
  good = await startHostile('http200');
  silent = await startHostile('silent');
});
afterAll(async () => {
  await good.close();
  await silent.close();
  // The workers load the TypeScript sources through tsx: its esbuild child must not outlive them as a zombie
  // (a later test file in this process would find it among its descendants).
  expect(descendants()).toEqual([]);
});

const target = (id: string, port: number, extra: Partial<Parameters<typeof specFor>[0]> = {}): PoolTarget => ({
  id,
  spec: specFor({ port, request: '/', receive: 'ok', negotiatetimeout: 1, checktimeout: 1, ...extra }),
  intervalMs: 1000,
  failurecount: 1,
  successcount: 1,
});

async function firstTransitions(workers: number): Promise<{ seen: Map<string, Transition>; local: number }> {
  let local = 0;
  const w =
    workers > 0
      ? createCheckWorkers({
          count: workers,
          clock: systemClock,
          spawn: () => startWorkerThread(),
          local: (spec, signal) => {
            local += 1;
            return runCheck(spec, signal);
          },
        })
      : undefined;
  if (w !== undefined) await untilTrue('the workers are ready', () => w.live() === workers);
  const pool = createHealthPool({
    clock: systemClock,
    ...(w !== undefined ? { runCheck: w.run, workerLagMs: w.lagMs, deadlineMs: w.deadlineMs } : {}),
  });
  const seen = new Map<string, Transition>();
  pool.onTransitions((batch) => {
    for (const t of batch) if (!seen.has(t.id)) seen.set(t.id, t);
  });
  pool.setTargets([
    target('good', good.port),
    target('silent', silent.port),
    target('refused', 1, { checktype: { kind: 'connect' } }),
    target('connect', good.port, { checktype: { kind: 'connect' } }),
  ]);
  pool.start();
  await untilTrue('a first transition of every target', () => seen.size === 4);
  await pool.stop();
  await w?.close();
  return { seen, local };
}

test('real threads: the same first transition, reason for reason, as checks on the main thread', async () => {
  const strip = (m: Map<string, Transition>) =>
    [...m.values()].map(({ id, up, reason }) => ({ id, up, reason })).sort((a, b) => a.id.localeCompare(b.id));
  const alone = strip((await firstTransitions(0)).seen);
  const run = await firstTransitions(2);
  const threaded = strip(run.seen);
  expect(run.local).toBe(0); // every one of these checks ran in a worker
  expect(alone).toEqual([
    { id: 'connect', up: true, reason: `connect 127.0.0.1:${good.port}: connected` },
    { id: 'good', up: true, reason: `HTTP GET http://127.0.0.1:${good.port}/: 200 OK, body matches /ok/` },
    { id: 'refused', up: false, reason: 'connect 127.0.0.1:1: ECONNREFUSED' },
    { id: 'silent', up: false, reason: `HTTP GET http://127.0.0.1:${silent.port}/: timed out after 1 s` },
  ]);
  expect(threaded).toEqual(alone);
});

test('real threads: a check answered while the pool’s thread was blocked past its timeout is still a success', async () => {
  // The server runs in a process of its own: blocking this thread must not stop it answering.
  const server = spawn(process.execPath, ['-e', SERVER_200], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(server.stdout, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  const workers = createCheckWorkers({
    count: 1,
    clock: systemClock,
    spawn: () => startWorkerThread(),
    local: runCheck,
  });
  try {
    await untilTrue('the worker is ready', () => workers.live() === 1);
    // A first check loads the http check's modules in the worker (compiled by tsx here: slow on a busy machine).
    await workers.run(target('server', port).spec, new AbortController().signal);
    const results: { ok: boolean; reason: string }[] = [];
    let blocked = false;
    const pool = createHealthPool({
      clock: systemClock,
      runCheck: (spec, signal) => {
        const answer = workers.run(spec, signal);
        // Once the order is posted, this thread is starved for 1.5 s (a saturated machine): the worker checks
        // and answers meanwhile, and when this thread runs again its 1 s timeout has passed.
        if (!blocked) {
          blocked = true;
          setImmediate(() => {
            const until = performance.now() + 1500;
            while (performance.now() < until);
          });
        }
        return answer;
      },
      workerLagMs: workers.lagMs,
      deadlineMs: workers.deadlineMs,
      onCheck: (o) => results.push({ ok: o.result.ok, reason: o.result.reason }),
    });
    pool.setTargets([target('server', port)]);
    pool.start();
    await untilTrue('a first result', () => results.length > 0);
    await pool.stop();
    expect(results[0]).toEqual({
      ok: true,
      reason: `HTTP GET http://127.0.0.1:${port}/: 200 OK, body matches /ok/`,
    });
  } finally {
    await workers.close();
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
});

test('an exception in a check ends its worker only: the check fails with the reason, the worker is replaced', async () => {
  const deaths: WorkerDeath[] = [];
  const workers = createCheckWorkers({
    count: 1,
    clock: systemClock,
    spawn: () => startWorkerThread(join(__dirname, 'fixtures', 'crashing-worker.ts')),
    local: () => Promise.reject(new Error('not expected on the main thread')),
    onDeath: (d) => deaths.push(d),
  });
  try {
    await untilTrue('the worker is ready', () => workers.live() === 1);
    const signal = new AbortController().signal;
    const check = target('good', good.port).spec;
    expect(await workers.run(check, signal)).toMatchObject({ ok: true });
    expect(await workers.run({ ...check, address: '127.0.0.66' }, signal)).toEqual({
      ok: false,
      reason: `check of 127.0.0.66:${good.port}: check worker 1 exited (code 1): boom in a check`,
      durationMs: 0,
    });
    expect(deaths).toEqual([{ worker: 1, why: 'exited (code 1): boom in a check', failedChecks: 1, restartInMs: 0 }]);
    await untilTrue('the replacement is ready', () => workers.live() === 1);
    expect(await workers.run(check, signal)).toMatchObject({ ok: true }); // on the replacement
  } finally {
    await workers.close();
  }
  expect(workers.live()).toBe(0);
});

test('the daemon’s workers: none unless checkworkers asks (the pool then checks as before), else that many threads', async () => {
  expect(startCheckWorkers(undefined, () => undefined)).toBeUndefined();
  expect(startCheckWorkers(0, () => undefined)).toBeUndefined();
  const workers = startCheckWorkers(2, () => undefined);
  try {
    await untilTrue('two workers are ready', () => workers?.live() === 2);
    const result = await workers?.run(target('good', good.port).spec, new AbortController().signal);
    expect(result).toEqual({
      ok: true,
      reason: `HTTP GET http://127.0.0.1:${good.port}/: 200 OK, body matches /ok/`,
      durationMs: 0,
    });
  } finally {
    await workers?.close();
  }
});
