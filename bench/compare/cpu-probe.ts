// Where a program's CPU goes, in the guest: runs one program at one scale under several variants of its
// environment (e.g. NODE_OPTIONS) and prints CPU seconds per 1,000 checks for each, measured as the scale
// scenario does (a quiet window after a warm-up). Optionally counts system calls with strace -c for a while.
//
//   scripts/guest/run --cpu 0 --timeout 900 -- node --import tsx bench/compare/cpu-probe.ts \
//     ours 100 'base=' 'stgc=NODE_OPTIONS=--single-threaded-gc'
//   (program: ours | keepalived | perl; each variant: label=NAME=VALUE[;NAME=VALUE], NODE_FLAGS=… goes on node's command line; PROBE_STRACE=1 adds strace -c)

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startHttpCounter } from './http-client';
import { peakRssKiB, treeCounters, treePids } from './procstat';
import { parseVariant, startProgram, type ProgramName } from './programs';
import { createTopology, setRealCount } from './topology';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const [name, realsArg, ...variants] = process.argv.slice(2);
  const reals = Number(realsArg);
  if (!name || !reals || variants.length === 0) throw new Error('usage: cpu-probe.ts PROGRAM REALS label=ENV…');
  const repo = path.resolve(__dirname, '..', '..');
  const work = path.join(repo, 'bench', 'results', 'last-run');
  fs.mkdirSync(work, { recursive: true });
  const warmS = Number(process.env.PROBE_WARM_S ?? 8);
  const windowS = Number(process.env.PROBE_WINDOW_S ?? 15);
  createTopology();
  setRealCount(reals, 0);
  const http = await startHttpCounter(process.execPath, repo);
  const rows: string[] = [
    '| variant | checks/s | CPU s / 1000 checks | of which user | context switches / check | page faults / check | CPU % | peak RSS MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  try {
    for (const v of variants) {
      const { label, env: extra } = parseVariant(v);
      execFileSync('ipvsadm', ['-C']);
      const p = startProgram(
        name as ProgramName,
        { repo, node: process.execPath, work },
        { reals, virtuals: 10, firstScheduler: 'wrr' },
        `probe-${label}`,
        extra,
      );
      await sleep(warmS * 1000);
      const c0 = await http.total();
      const a = treeCounters(p.pid);
      const t0 = Date.now();
      await sleep(windowS * 1000);
      const c1 = await http.total();
      const b = treeCounters(p.pid);
      const dt = (Date.now() - t0) / 1000;
      const rss = peakRssKiB(p.pid) / 1024;
      const checks = c1 - c0;
      const perCheck = (from: number, to: number, scale: number, digits: number): string =>
        (((to - from) / checks) * scale).toFixed(digits);
      rows.push(
        `| ${label} | ${(checks / dt).toFixed(1)} | ${perCheck(a.cpuS, b.cpuS, 1000, 3)} | ${perCheck(a.userCpuS, b.userCpuS, 1000, 3)} | ${perCheck(a.contextSwitches, b.contextSwitches, 1, 2)} | ${perCheck(a.minorFaults, b.minorFaults, 1, 2)} | ${(((b.cpuS - a.cpuS) / dt) * 100).toFixed(1)} | ${rss.toFixed(1)} |`,
      );
      process.stderr.write(`${rows[rows.length - 1]}\n`);
      if (process.env.PROBE_STRACE) {
        const out = path.join(work, `strace-${label}.txt`);
        const c2 = await http.total();
        spawnSync('timeout', [
          '-s',
          'INT',
          '10',
          'strace',
          '-c',
          '-f',
          '-o',
          out,
          ...treePids(p.pid).flatMap((pid) => ['-p', String(pid)]),
        ]);
        const c3 = await http.total();
        process.stderr.write(
          `strace ${label}: ${c3 - c2} checks while attached\n${fs.readFileSync(out, 'utf8').split('\n').slice(0, 30).join('\n')}\n`,
        );
      }
      await p.stop(10000);
    }
  } finally {
    http.stop();
  }
  process.stdout.write(`${name} × ${reals} real servers, window ${windowS} s after ${warmS} s\n${rows.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`cpu-probe: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
