// HTTP negotiate checks at scale: N real servers on distinct 127.x.y.z addresses (Linux answers every
// 127/8 address on lo), each checked every interval (1 s unless `N@S`) through the real pool with the real
// http check, the pool built as the daemon builds it; with `--workers 0,1,2` each size runs once per worker
// count (0: every check on the pool's thread, as before; N: the network checks on N worker threads,
// src/health/workers). Every server is healthy, so every down transition is a false down.
// Plain http goes through the minimal node:net exchange (src/health/services/http-plain.ts; undici does https).
// The HTTP servers run in child processes (one listener per address, a fixed 200 response, at most 9,000 per
// process for the open-file limit), so the CPU figure is the checker's alone (all its threads); the servers'
// CPU is read from /proc beside it, since they share the machine's cores. Each row
// runs in its own process (clean peak-RSS figure), and prints the load average at its end: the machine is
// shared.
//
//   npx tsx bench/checks.ts                 # 1000, 5000, 10000 reals, 16 s each
//   npx tsx bench/checks.ts 2000 --seconds 10
//   npx tsx bench/checks.ts 10000@1 20000@2 --workers 0,1   # issue 18: checks on every core
// `--cgroup DIR` (a cgroup v1 cpu directory with a cfs quota, made beforehand) starves the checker alone: each
// row's process joins it once its servers run, so the servers keep their CPU and a slow check is the checker's.
//   mkdir /sys/fs/cgroup/cpu/lb && echo 15000 > /sys/fs/cgroup/cpu/lb/cpu.cfs_quota_us   # 15 % of one core
//   npx tsx bench/checks.ts 10000@1 --workers 0,1 --cgroup /sys/fs/cgroup/cpu/lb
// Without tsx's loader and source-map overhead (undici builds an Error per closed connection, and tsx maps
// every stack trace), compile first:
//   npx tsc bench/checks.ts src/health/workers/worker-main.ts --outDir /tmp/lb --rootDir . --module node16 --moduleResolution node16 \
//     --target ES2022 --esModuleInterop --skipLibCheck --types node
//   ln -sfn "$PWD/node_modules" /tmp/lb/node_modules && node /tmp/lb/bench/checks.js
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import type { CheckObservation } from '../src/health/pool';
import { systemClock } from '../src/health/clock';
import { runCheck } from '../src/health/checks';
import { createCheckWorkers } from '../src/health/workers/runner';
import { startWorkerThread } from '../src/health/workers/thread';
import { freePort } from '../test/support/ports';
import { addressOf, daemonPool, fleetTarget } from './support/loopback-fleet';
import { measureWindow } from './support/measure';
import { clockTicks, processCpuMs } from './support/proc-cpu';
import { percentile } from './support/percentile';

const SERVER_SOURCE = `
const net = require('node:net');
const from = Number(process.argv[3] || 0);
const size = Number(process.argv[1]);
const port = Number(process.argv[2]);
const addrs = Array.from({ length: size }, (_, k) => from + k).map((i) => \`127.\${1 + Math.floor(i / 62500)}.\${Math.floor(i / 250) % 250}.\${(i % 250) + 1}\`);
const body = 'ok\\n';
const res = 'HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: ' + body.length + '\\r\\nConnection: close\\r\\n\\r\\n' + body;
let pending = addrs.length;
for (const a of addrs) {
  const s = net.createServer((c) => { c.on('error', () => {}); c.once('data', () => c.end(res)); });
  s.listen({ host: a, port, backlog: 4096 }, () => { if (--pending === 0) process.stdout.write('ready\\n'); });
  s.on('error', (e) => { process.stderr.write(a + ': ' + e.message + '\\n'); process.exit(1); });
}
`;

interface Row {
  intervalS: number;
  workers: number;
  falseDowns: number;
  load: string;
  durP50: number;
  durP99: number;
  size: number;
  seconds: number;
  completed: number;
  failed: number;
  perSecond: number;
  cpu: number;
  serversCpu: number;
  rssMb: number;
  p50: number;
  p99: number;
  max: number;
  firstFailure: string;
}

/** Listeners per server process: with its transient connections, inside this machine's 20,000 open files. */
const PER_SERVER_PROCESS = 9000;

async function runOne(
  size: number,
  seconds: number,
  intervalS: number,
  workerCount: number,
  cgroup: string | undefined,
): Promise<Row> {
  const port = await freePort();
  const addrs = Array.from({ length: size }, (_, i) => addressOf(i));
  const servers: ChildProcess[] = [];
  for (let from = 0; from < size; from += PER_SERVER_PROCESS) {
    const n = Math.min(PER_SERVER_PROCESS, size - from);
    servers.push(
      spawn(process.execPath, ['-e', SERVER_SOURCE, String(n), String(port), String(from)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
  }
  await Promise.all(servers.map((server) => once(server.stdout as NodeJS.ReadableStream, 'data')));
  if (cgroup !== undefined) writeFileSync(`${cgroup}/cgroup.procs`, String(process.pid));
  const workers =
    workerCount > 0
      ? createCheckWorkers({
          count: workerCount,
          clock: systemClock,
          spawn: () => startWorkerThread(),
          local: runCheck,
        })
      : undefined;
  while (workers !== undefined && workers.live() < workerCount) await new Promise((r) => setTimeout(r, 50));
  // As the daemon builds it (director-starter.ts): default concurrency, adaptive admission.
  const pool = daemonPool({
    onCheck: record,
    ...(workers !== undefined
      ? { runCheck: workers.run, workerLagMs: workers.lagMs, deadlineMs: workers.deadlineMs }
      : {}),
  });
  let falseDowns = 0;
  pool.onTransitions((batch) => {
    for (const t of batch) if (!t.up) falseDowns += 1;
  });
  const lateness: number[] = [];
  const durations: number[] = [];
  let completed = 0;
  let failed = 0;
  let firstFailure = '';
  let measuring = false;
  function record(o: CheckObservation): void {
    if (!measuring) return;
    completed += 1;
    lateness.push(o.startedAt - o.due);
    durations.push(o.endedAt - o.startedAt);
    if (!o.result.ok) {
      failed += 1;
      if (firstFailure === '') firstFailure = o.result.reason;
    }
  }
  pool.setTargets(addrs.map((a) => fleetTarget(a, port, 5, intervalS * 1000)));
  pool.start();
  // Warm-up: the first interval spreads the first runs; measure after two intervals.
  await new Promise((r) => setTimeout(r, 2000 * intervalS));
  measuring = true;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const ticks = clockTicks();
  const serversCpuAt = (): number => servers.reduce((sum, s) => sum + processCpuMs(s.pid as number, ticks), 0);
  const servers0 = serversCpuAt();
  const { wallMs: wall, cpu } = await measureWindow(seconds);
  const serversMs = serversCpuAt() - servers0;
  measuring = false;
  clearInterval(sampler);
  await pool.stop();
  await workers?.close();
  for (const server of servers) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  lateness.sort((a, b) => a - b);
  durations.sort((a, b) => a - b);
  return {
    intervalS,
    workers: workerCount,
    falseDowns,
    load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    durP50: percentile(durations, 50),
    durP99: percentile(durations, 99),
    size,
    seconds: wall / 1000,
    completed,
    failed,
    perSecond: completed / (wall / 1000),
    cpu: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    serversCpu: (serversMs / wall) * 100,
    rssMb: peakRss / 2 ** 20,
    p50: percentile(lateness, 50),
    p99: percentile(lateness, 99),
    max: lateness[lateness.length - 1] ?? NaN,
    firstFailure,
  };
}

/** A figure of the table; a row without checks has none (NaN, null once through JSON). */
const fixed = (x: number | null, digits: number): string => (x === null || Number.isNaN(x) ? '–' : x.toFixed(digits));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const secondsAt = args.indexOf('--seconds');
  const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 16;
  const workersAt = args.indexOf('--workers');
  const cgroupAt = args.indexOf('--cgroup');
  const cgroup = cgroupAt >= 0 ? (args[cgroupAt + 1] as string) : undefined;
  const workerCounts = workersAt >= 0 ? (args[workersAt + 1] as string).split(',').map(Number) : [0];
  if (args.includes('--child')) {
    const [size, intervalS, workerCount] = (args[args.indexOf('--child') + 1] as string).split(':').map(Number);
    process.stdout.write(
      `${JSON.stringify(await runOne(size as number, seconds, intervalS as number, workerCount as number, cgroup))}\n`,
    );
    return;
  }
  const sizes = args.filter(
    (a, i) => /^\d+(@\d+(\.\d+)?)?$/.test(a) && !['--seconds', '--workers', '--cgroup'].includes(args[i - 1] as string),
  );
  const rows: Row[] = [];
  for (const spec of sizes.length > 0 ? sizes : ['1000', '5000', '10000']) {
    const [size, intervalS = '1'] = spec.split('@');
    for (const w of workerCounts) {
      const out = execFileSync(
        process.execPath,
        [
          ...process.execArgv,
          __filename,
          '--child',
          `${size}:${intervalS}:${w}`,
          '--seconds',
          String(seconds),
          ...(cgroup !== undefined ? ['--cgroup', cgroup] : []),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
      );
      rows.push(JSON.parse(out.trim().split('\n').pop() as string) as Row);
    }
  }
  console.log(
    `\nHTTP negotiate checks, pool as the daemon builds it, workers = check worker threads (node ${process.version}, ${availableParallelism()} cores)\n`,
  );
  console.log(
    '| reals | interval s | workers | measured s | checks/s | failed | false downs | CPU % (1 core = 100) | servers CPU % | peak RSS MB | lateness p50 ms | p99 ms | max ms | check duration p50 ms | p99 ms | loadavg at end |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    console.log(
      `| ${r.size} | ${r.intervalS} | ${r.workers} | ${fixed(r.seconds, 1)} | ${fixed(r.perSecond, 0)} | ${r.failed} | ${r.falseDowns} | ${fixed(r.cpu, 0)} | ${fixed(r.serversCpu, 0)} | ${fixed(r.rssMb, 0)} | ${fixed(r.p50, 1)} | ${fixed(r.p99, 1)} | ${fixed(r.max, 0)} | ${fixed(r.durP50, 1)} | ${fixed(r.durP99, 1)} | ${r.load} |`,
    );
  }
  const failures = rows.filter((r) => r.firstFailure !== '');
  for (const r of failures) console.log(`\nfirst failure at ${r.size}, ${r.workers} workers: ${r.firstFailure}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
