// Where the daemon's memory goes at N real servers (issue 18 item 2), on the host in dry-run: the built
// daemon (`npm run build` first) runs in the foreground on a config of N real servers over 10 virtual
// services, HTTP checks every 1 s against one loopback HTTP server (it listens on 0.0.0.0, so every 127/8
// address answers), the same settings as bench/compare. After `--seconds` (default 30) it prints, per N, the
// peak RSS (VmHWM), the RSS at the end by what backs it (the node binary, other files, anonymous memory), and
// the breakdown the preloaded probe (PROBE_SOURCE) saw last: V8 heap used / total, its code
// space, external memory and array buffers, and the modules loaded (ours, and per npm package); and, to see
// what a change costs in CPU, checks per second (the HTTP server's count) and the daemon's CPU per check
// over the whole run, start-up included.
//
//   npx tsx bench/memory/run.ts                   # 1000 and 5000 real servers
//   npx tsx bench/memory/run.ts 1000 --seconds 20
//   npx tsx bench/memory/run.ts 5000 --node-flags "--max-semi-space-size=2"   node flags for the daemon
//   LDIRECTORD_BIN=/copy/of/an/older/build/bin/ldirectord npx tsx bench/memory/run.ts 1000   another build
//   MALLOC_ARENA_MAX=16 npx tsx bench/memory/run.ts 5000   glibc's default limit (8 × cores, 2 cores), not the product's 1
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { until } from '../../test/support/until';
import { addressOf } from '../support/loopback-fleet';
import { withMallocEnv } from '../../src/daemon/process/malloc-env';

const REPO = resolve(__dirname, '..', '..');
const VIRTUALS = 10;

/**
 * Preloaded into the daemon (NODE_OPTIONS=--require, written to the work directory): every second it writes
 * the process's memory breakdown to $MEMORY_PROBE.<pid>.json — process.memoryUsage(), V8's heap spaces, and
 * the modules loaded (per npm package, and ours).
 */
const PROBE_SOURCE = `'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');

const out = process.env.MEMORY_PROBE;
if (out) {
  const write = () => {
    const spaces = {};
    for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = s.space_used_size;
    const packages = {};
    let ours = 0;
    for (const file of Object.keys(require.cache)) {
      const m = new RegExp('node_modules/((?:@[^/]+/)?[^/]+)').exec(file);
      if (m) packages[m[1]] = (packages[m[1]] || 0) + 1;
      else ours += 1;
    }
    const body = JSON.stringify({ at: Date.now(), usage: process.memoryUsage(), spaces, packages, ours });
    fs.writeFileSync(\`\${out}.\${process.pid}.json\`, body);
  };
  setInterval(write, 1000).unref();
}
`;

interface Probe {
  readonly usage: NodeJS.MemoryUsage;
  readonly spaces: Record<string, number>;
  readonly packages: Record<string, number>;
  readonly ours: number;
}

function cf(reals: number, port: number, log: string): string {
  const lines = [
    'checktimeout=2',
    'negotiatetimeout=2',
    'checkinterval=1',
    'failurecount=1',
    'quiescent=yes',
    'autoreload=no',
    'cleanstop=yes',
    `logfile="${log}"`,
    '',
  ];
  for (let v = 0; v < VIRTUALS; v++) {
    lines.push(`virtual=10.2.0.${v + 1}:80`);
    for (let i = v; i < reals; i += VIRTUALS) lines.push(`    real=${addressOf(i)}:${port} masq 1`);
    lines.push('    service=http', '    scheduler=wrr', '    request="/"', '    receive="ok"', '');
  }
  return lines.join('\n');
}

/** CPU seconds (user + system) of a process so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** VmHWM / VmRSS (KiB) of a process. */
function status(pid: number): { hwm: number; rss: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'latin1');
  const field = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(text)?.[1] ?? NaN);
  return { hwm: field('VmHWM'), rss: field('VmRSS') };
}

/** The resident set by what backs it (MiB): the node binary's own pages (file-backed, clean, shared with every
 * other node process), the other files mapped (shared libraries, the netlink addon), and anonymous memory
 * (the V8 heap, malloc, stacks). From /proc/PID/smaps, read by the bench, so it costs the daemon nothing. */
function rssByBacking(pid: number): { binary: number; files: number; anon: number } {
  const out = { binary: 0, files: 0, anon: 0 };
  let kind: keyof typeof out = 'anon';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'latin1').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head !== null) {
      const name = head[1] ?? '';
      kind = name === process.execPath ? 'binary' : name.startsWith('/') ? 'files' : 'anon';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss !== null) out[kind] += Number(rss[1]) / 1024;
  }
  return out;
}

async function measure(reals: number, seconds: number, nodeFlags: readonly string[]): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), 'memory-bench-'));
  let requests = 0;
  const server = createServer((c) => {
    requests += 1;
    c.on('error', () => undefined);
    c.once('data', () => c.end('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n'));
  });
  server.listen({ host: '0.0.0.0', port: 0, backlog: 4096 });
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const file = join(work, 'ldirectord.cf');
  writeFileSync(file, cf(reals, port, join(work, 'ldirectord.log')));
  const probe = join(work, 'probe');
  const probeFile = join(work, 'probe.cjs');
  writeFileSync(probeFile, PROBE_SOURCE);
  let daemon: ChildProcess | undefined;
  try {
    const bin = process.env.LDIRECTORD_BIN ?? join(REPO, 'bin', 'ldirectord');
    const argv = [...nodeFlags, bin, '-d', '--dry-run', file, 'start'];
    daemon = spawn(process.execPath, argv, {
      // the environment the daemon is started with as shipped (the detached child, the systemd unit, the
      // container image): one malloc arena, unless MALLOC_ARENA_MAX or LDIRECTORD_V8_DEFAULTS=1 says otherwise
      env: {
        ...withMallocEnv(process.env),
        NODE_OPTIONS: `--require ${probeFile}`,
        MEMORY_PROBE: probe,
      },
      stdio: 'ignore', // -d logs every check to stderr
    });
    const pid = daemon.pid as number;
    const t0 = Date.now();
    let peak = 0;
    // Sampled every 0.5 s for the run's length (VmHWM is the kernel's own peak; the samples only follow it).
    await until(
      `${seconds} s of the daemon at ${reals} real servers`,
      () => {
        if (daemon?.exitCode !== null) throw new Error(`the daemon exited (${daemon?.exitCode})`);
        peak = Math.max(peak, status(pid).hwm);
        return Date.now() - t0 >= seconds * 1000 ? true : undefined;
      },
      { timeoutMs: seconds * 1000 + 60_000, intervalMs: 500 },
    );
    const cpu = cpuSeconds(pid);
    const backing = rssByBacking(pid);
    const checks = requests;
    const last = readdirSync(work).find((n) => n.startsWith('probe.'));
    if (last === undefined) throw new Error(`the probe wrote nothing in ${work}`);
    const p = JSON.parse(readFileSync(join(work, last), 'utf8')) as Probe;
    const MiB = (b: number | undefined): string => ((b ?? 0) / 2 ** 20).toFixed(1);
    const pkgs = Object.entries(p.packages)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
    return [
      String(reals),
      (peak / 1024).toFixed(1),
      (status(pid).rss / 1024).toFixed(1),
      `${backing.binary.toFixed(1)} / ${backing.files.toFixed(1)} / ${backing.anon.toFixed(1)}`,
      (checks / seconds).toFixed(0),
      checks === 0 ? '-' : ((cpu / checks) * 1000).toFixed(3),
      MiB(p.usage.heapUsed),
      MiB(p.usage.heapTotal),
      MiB(p.spaces.code_space),
      MiB(p.usage.external),
      MiB(p.usage.arrayBuffers),
      `ours ${p.ours}; ${pkgs}`,
    ];
  } finally {
    if (daemon !== undefined && daemon.exitCode === null) {
      daemon.kill('SIGTERM');
      await once(daemon, 'exit');
    }
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--seconds');
  const seconds = at >= 0 ? Number(args[at + 1]) : 30;
  const flagsAt = args.indexOf('--node-flags');
  const nodeFlags = flagsAt >= 0 ? (args[flagsAt + 1] ?? '').split(' ').filter(Boolean) : [];
  const values = new Set([at + 1, flagsAt + 1].filter((i) => i > 0));
  const sizes = args.filter((a, i) => /^\d+$/.test(a) && !values.has(i)).map(Number);
  if (nodeFlags.length > 0) console.log(`node flags: ${nodeFlags.join(' ')}`);
  console.log(
    '| reals | peak RSS MiB | RSS MiB | RSS: node binary / other files / anonymous | checks/s | CPU ms per check (incl. start-up) | heap used | heap total | code space | external | array buffers | modules loaded |',
  );
  console.log('|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const n of sizes.length > 0 ? sizes : [1000, 5000])
    console.log(`| ${(await measure(n, seconds, nodeFlags)).join(' | ')} |`);
}

void main();
