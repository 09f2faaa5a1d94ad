// Cold start, repeated: runs one program at one scale from an empty table ROUNDS times per variant, the
// variants interleaved in one guest (so a slow minute of the host hits them alike), and prints when the
// first virtual service, the first real server and the last one reached the table, as the start-up scenario
// of bench/compare measures it (/proc/net/ip_vs polled every 100 ms).
//
//   scripts/guest/run --cpu 0 --timeout 1200 -- node --import tsx bench/compare/cold-probe.ts \
//     ours 100 'files=' 'bundle=OURS_BIN=dist/bundle/ldirectord.js' 'keepalived=PROGRAM=keepalived'
//   (program: ours | keepalived | perl; each variant: label=NAME=VALUE[;NAME=VALUE], as cpu-probe.ts takes them:
//   NODE_FLAGS=… goes on node's command line, OURS_BIN=… is the script node runs instead of bin/ldirectord,
//   CF_GLOBALS=a=b,c=d adds global lines to ours' config, PROGRAM=… runs another program for that variant;
//   PROBE_ROUNDS, default 4, PROBE_CAP_S, default 120, and PROBE_STOP_S, the grace of a stop before KILL,
//   default 10 (longer for a --cpu-prof at scale), and PROBE_POLL_MS, the table's poll interval, default 100 (how much
//   the polling itself weighs), are passed with scripts/guest/run --env)

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { percentile } from '../support/percentile';
import { startHttpCounter } from './http-client';
import { parseVariant, startProgram, type ProgramName } from './programs';
import { complete } from './scenarios';
import { Poller, readProcTable, type TimedChange } from './table';
import { createTopology, setRealCount } from './topology';

interface Milestones {
  firstService: number;
  firstReal: number;
  complete: number;
}

/**
 * When the real servers came up (a dest added, or its weight raised, above 0), in seconds from the spawn:
 * deciles and the last few, to tell a table applied in a few large passes from one that trickles in, and
 * counting the ups beyond one per real server (flaps come back up as more ups).
 */
function upsLine(changes: readonly TimedChange[], t0: number): string {
  const ups = changes
    .filter(
      (c) =>
        (c.change.kind === 'dest-add' && c.change.weight > 0) || (c.change.kind === 'dest-weight' && c.change.to > 0),
    )
    .map((c) => ((c.at - t0) / 1000).toFixed(1));
  const q = (f: number): string => ups[Math.min(ups.length - 1, Math.floor(f * ups.length))] ?? '-';
  return `  ups ${ups.length}: 10% ${q(0.1)} 50% ${q(0.5)} 90% ${q(0.9)} 99% ${q(0.99)} last ${ups.at(-1) ?? '-'}; the last eight ${ups.slice(-8).join(' ')}\n`;
}

function milestones(changes: readonly TimedChange[], t0: number, done: number): Milestones {
  const at = (pred: (c: TimedChange) => boolean): number => {
    const hit = changes.find(pred);
    return hit ? (hit.at - t0) / 1000 : NaN;
  };
  return {
    firstService: at((c) => c.change.kind === 'service-add'),
    firstReal: at(
      (c) =>
        (c.change.kind === 'dest-add' && c.change.weight > 0) || (c.change.kind === 'dest-weight' && c.change.to > 0),
    ),
    complete: (done - t0) / 1000,
  };
}

/** ours only: its check results so far by outcome and reason class, from /metrics (the bench's status page). */
async function checkTally(): Promise<string> {
  try {
    const text = await (await fetch('http://127.0.0.1:9186/metrics')).text();
    const tally = new Map<string, number>();
    for (const m of text.matchAll(
      /^ldirectord_check_results_total\{[^}]*outcome="([^"]*)"[^}]*reason="([^"]*)"[^}]*\} (\d+)/gm,
    )) {
      const key = `${m[1]}/${m[2]}`;
      tally.set(key, (tally.get(key) ?? 0) + Number(m[3]));
    }
    return [...tally].map(([k, n]) => `${k} ${n}`).join(', ');
  } catch (e) {
    return `no metrics (${e instanceof Error ? e.message : String(e)})`;
  }
}

const fmt = (xs: readonly number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${percentile(s, 50).toFixed(2)} (${s[0]!.toFixed(2)}–${s[s.length - 1]!.toFixed(2)})`;
};

async function main(): Promise<void> {
  const [name, realsArg, ...variantArgs] = process.argv.slice(2);
  const reals = Number(realsArg);
  if (!name || !reals || variantArgs.length === 0) throw new Error('usage: cold-probe.ts PROGRAM REALS label=ENV…');
  const rounds = Number(process.env.PROBE_ROUNDS ?? 4);
  const capS = Number(process.env.PROBE_CAP_S ?? 120);
  const pollMs = Number(process.env.PROBE_POLL_MS ?? 100);
  const repo = path.resolve(__dirname, '..', '..');
  const work = path.join(repo, 'bench', 'results', 'last-run');
  fs.mkdirSync(work, { recursive: true });
  createTopology();
  setRealCount(reals, 0);
  const http = await startHttpCounter(process.execPath, repo);
  const services = { reals, virtuals: 10, firstScheduler: 'wrr' as const };
  const variants = variantArgs.map(parseVariant);
  const seen = new Map<string, Milestones[]>(variants.map((v) => [v.label, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) {
        execFileSync('ipvsadm', ['-C']);
        const poller = new Poller(await readProcTable(), pollMs);
        const t0 = Date.now();
        const { PROGRAM: program = name, ...env } = v.env;
        const p = startProgram(
          program as ProgramName,
          { repo, node: process.execPath, work },
          services,
          `cold-${v.label}`,
          env,
        );
        const ok = await poller.until((t) => p.exited() || complete(t, services), t0 + capS * 1000);
        const done = Date.now();
        const died = p.exited();
        const tally = program === 'ours' ? `; checks: ${await checkTally()}` : '';
        await poller.stop();
        await p.stop(Number(process.env.PROBE_STOP_S ?? 10) * 1000);
        if (!ok || died) throw new Error(`${v.label}: no complete table within ${capS} s (log: ${p.logFile})`);
        const m = milestones(poller.changes, t0, done);
        process.stderr.write(upsLine(poller.changes, t0));
        seen.get(v.label)!.push(m);
        process.stderr.write(
          `round ${r + 1} ${v.label}: service ${m.firstService.toFixed(2)} s, first real ${m.firstReal.toFixed(2)} s, complete ${m.complete.toFixed(2)} s${tally}\n`,
        );
      }
    }
  } finally {
    http.stop();
  }
  const rows = [
    `${name} × ${reals} real servers (10 virtual services), ${rounds} cold starts per variant, interleaved; seconds from the spawn, median (min–max)`,
    '',
    '| variant | first virtual service | first real server | complete table |',
    '|---|---:|---:|---:|',
    ...variants.map((v) => {
      const ms = seen.get(v.label)!;
      return `| ${v.label} | ${fmt(ms.map((m) => m.firstService))} | ${fmt(ms.map((m) => m.firstReal))} | ${fmt(ms.map((m) => m.complete))} |`;
    }),
  ];
  process.stdout.write(`${rows.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`cold-probe: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
