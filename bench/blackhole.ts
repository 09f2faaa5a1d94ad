// Blackholed real servers (issue 12 item 11): N servers on distinct 127.x.y.z addresses that accept the
// connection and never answer, each checked by an HTTP negotiate check (checktimeout = negotiatetimeout 3 s,
// interval 1 s) through the real pool built as the daemon builds it (adaptive admission, wakeup coalescing).
// Each such check costs its timeout; the question is how many complete per second and how often each server
// is re-checked (ideal: N / 3 s per second, every ~3 s). The servers live in a child process so the CPU figure
// is the checker's.
//
//   npx tsx bench/blackhole.ts [N] [--seconds S]      # default 1000 servers, 20 s measured after 4 s
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { CheckObservation } from '../src/health/pool';
import { freePort } from '../test/support/ports';
import { addressOf, daemonPool, fleetTarget } from './support/loopback-fleet';
import { measureWindow } from './support/measure';
import { percentile } from './support/percentile';

const SERVER_SOURCE = `
const net = require('node:net');
const size = Number(process.argv[1]);
const port = Number(process.argv[2]);
const held = [];
let pending = size;
for (let i = 0; i < size; i += 1) {
  const a = '127.' + (1 + Math.floor(i / 62500)) + '.' + (Math.floor(i / 250) % 250) + '.' + ((i % 250) + 1);
  const s = net.createServer((c) => { c.on('error', () => {}); held.push(c); c.on('close', () => held.splice(held.indexOf(c), 1)); });
  s.listen({ host: a, port, backlog: 4096 }, () => { if (--pending === 0) process.stdout.write('ready\\n'); });
  s.on('error', (e) => { process.stderr.write(a + ': ' + e.message + '\\n'); process.exit(1); });
}
`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const secondsAt = args.indexOf('--seconds');
  const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 20;
  const size = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--seconds') ?? 1000);
  const port = await freePort();
  const server = spawn(process.execPath, ['-e', SERVER_SOURCE, String(size), String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(server.stdout, 'data');
  let measuring = false;
  let completed = 0;
  let timedOut = 0;
  const lastEnd = new Map<string, number>();
  const periods: number[] = [];
  const record = (o: CheckObservation): void => {
    const prev = lastEnd.get(o.key);
    lastEnd.set(o.key, o.endedAt);
    if (!measuring) return;
    completed += 1;
    if (/timed out|timeout/i.test(o.result.reason)) timedOut += 1;
    if (prev !== undefined) periods.push(o.endedAt - prev);
  };
  const pool = daemonPool({ onCheck: record });
  pool.setTargets(Array.from({ length: size }, (_, i) => fleetTarget(addressOf(i), port, 3, 1000)));
  pool.start();
  await new Promise((r) => setTimeout(r, 4000)); // the first round and the first timeouts
  measuring = true;
  const { wallMs: wall, cpu } = await measureWindow(seconds);
  measuring = false;
  await pool.stop();
  server.kill('SIGTERM');
  await once(server, 'exit');
  periods.sort((a, b) => a - b);
  const load = readFileSync('/proc/loadavg', 'utf8').trim();
  console.log(
    `\nBlackholed servers (accept, never answer), HTTP negotiate, timeout 3 s, interval 1 s (node ${process.version}); loadavg at end: ${load}\n`,
  );
  console.log(
    '| servers | measured s | checks/s completed | ideal checks/s | timed out | re-check period p50 s | p99 s | CPU % |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${size} | ${(wall / 1000).toFixed(1)} | ${(completed / (wall / 1000)).toFixed(0)} | ${(size / 3).toFixed(0)} | ${timedOut} | ${(percentile(periods, 50) / 1000).toFixed(2)} | ${(percentile(periods, 99) / 1000).toFixed(2)} | ${(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(0)} |`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
