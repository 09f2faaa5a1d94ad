// In-guest driver of bench/compare/run: builds the network, starts the counting HTTP server, then for each
// scale runs the four scenarios on each program in turn (ours, Perl ldirectord, keepalived), clearing the
// IPVS table between programs. Writes the markdown report to argv[2] and the raw figures beside it (.json).
//
//   BENCH_SCALES=100,1000   BENCH_PROGRAMS=ours,perl,keepalived   (environment, optional)

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startHttpCounter } from './http-client';
import { LABEL, PROGRAMS, type ProgramName } from './programs';
import { renderScale } from './report';
import { runScenarios, type Caps, type Result } from './scenarios';
import { createTopology, setRealCount } from './topology';
import { CHECK_INTERVAL_S, CHECK_TIMEOUT_S } from './configs';

const VIRTUALS = 10;

function capsFor(reals: number): Caps {
  if (reals <= 20) return { startS: 90, windowS: 10, detectS: 40, reloadS: 40 };
  if (reals <= 100) return { startS: 40, windowS: 10, detectS: 30, reloadS: 30 };
  if (reals <= 1000) return { startS: 90, windowS: 15, detectS: 60, reloadS: 45 };
  return { startS: 120, windowS: 15, detectS: 60, reloadS: 60 };
}

function versions(): string {
  const v = (cmd: string, args: string[]): string => {
    try {
      return (
        execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
          .split('\n')[0]
          ?.trim() ?? '?'
      );
    } catch (e) {
      const err = e as { stderr?: string };
      return (err.stderr ?? '').split('\n')[0]?.trim() || '?';
    }
  };
  const pkg = (p: string): string => v('dpkg-query', ['-W', '-f', '${Version}', p]);
  return `ldirectord ${pkg('ldirectord')}, keepalived ${pkg('keepalived')}, ipvsadm ${pkg('ipvsadm')}, node ${process.version}`;
}

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: driver.ts REPORT.md');
  const repo = path.resolve(__dirname, '..', '..');
  const node = process.execPath;
  // Logs and configs of this run, kept for inspection (not committed).
  const work = path.join(repo, 'bench', 'results', 'last-run');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const scales = (process.env.BENCH_SCALES ?? '20,100,1000').split(',').map(Number);
  const programs = (process.env.BENCH_PROGRAMS ?? PROGRAMS.join(',')).split(',') as ProgramName[];
  const note = (msg: string): void => {
    process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
  };

  createTopology();
  const http = await startHttpCounter(node, repo);
  const all: Result[] = [];
  const sections: string[] = [];
  const started = Date.now();
  let previous = 0;
  try {
    for (const reals of scales) {
      setRealCount(reals, previous);
      previous = reals;
      const results: Result[] = [];
      for (const p of programs) {
        execFileSync('ipvsadm', ['-C']);
        note(`${LABEL[p]} × ${reals} real servers`);
        const r = await runScenarios(
          p,
          { repo, node, work },
          { reals, virtuals: VIRTUALS, firstScheduler: 'wrr' },
          capsFor(reals),
          http,
          (m) => note(`  ${m}`),
        );
        if (r.error) note(`  stopped early: ${r.error}; log tail:\n${tail(r.log)}`);
        results.push(r);
        all.push(r);
        execFileSync('ipvsadm', ['-C']);
      }
      const section = renderScale(reals, results);
      process.stdout.write(`\n${section}\n`);
      sections.push(section);
    }
  } finally {
    http.stop();
  }
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const header = [
    `# Benchmarks: ldirectord-ts, ldirectord (Perl) and keepalived side by side`,
    '',
    `* date: ${new Date().toISOString()}; host: ${process.env.BENCH_HOST ?? '?'}; guest kernel ${os.release()} (user-mode-linux, 1 CPU)`,
    `* host load before the run: ${process.env.BENCH_LOAD ?? '?'}`,
    `* ${versions()}; ours at ${process.env.BENCH_COMMIT ?? '?'}`,
    `* ${VIRTUALS} virtual services (NAT, wrr), HTTP GET / → "ok" every ${CHECK_INTERVAL_S} s, timeout ${CHECK_TIMEOUT_S} s, fall 1, rise 1, weight 0 on failure; fork=no for both ldirectords`,
    `* table changes: /proc/net/ip_vs polled every 100 ms for all three programs, ipvsadm -Ln read at each phase end as a cross-check; CPU per check measured from 60 s after start; the whole run took ${minutes} min`,
    `* command: \`${[process.env.BENCH_SCALES ? `BENCH_SCALES=${process.env.BENCH_SCALES}` : '', process.env.BENCH_PROGRAMS ? `BENCH_PROGRAMS=${process.env.BENCH_PROGRAMS}` : '', process.env.BENCH_OURS_ARGS ? `BENCH_OURS_ARGS='${process.env.BENCH_OURS_ARGS}'` : '', 'bench/compare/run'].filter(Boolean).join(' ')}\`; method and caveats: docs/benchmarks.md. Everything ran inside one UML guest on one CPU: the`,
    "  programs, the HTTP server and the table poller share it, so absolute figures are the guest's, and only the ratios",
    '  between programs run the same way in the same run mean anything.',
    '',
  ].join('\n');
  fs.writeFileSync(out, `${header}\n${sections.join('\n\n')}\n`);
  fs.writeFileSync(out.replace(/\.md$/, '.json'), `${JSON.stringify(all, null, 2)}\n`);
  note(`report written to ${out}`);
}

function tail(file: string | undefined): string {
  if (!file) return '';
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`driver: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
