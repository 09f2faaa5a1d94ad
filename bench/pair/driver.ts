// Runs failover/failback stories for each arrangement × forwarding × sync inside one guest and prints one
// table row per story (and the raw results as JSON on stderr). Started by bench/pair/run.
//   PAIR_CASES=keepalived-ours:nat:sync,keepalived-ours:nat:nosync  (default: every case below)
//   PAIR_REPEAT=N runs each case N times (a row each); PAIR_DIAG=1 logs diag.ts's samples at each takeover;
//   PAIR_CAPTURE=DIR (a directory the host sees, e.g. under the repository's .guest/) keeps a tcpdump of every
//   port-80 packet on every interface of the guest's root namespace (the bridges' ports: client, directors,
//   real servers) per story, DIR/<case>-<n>.pcap.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import type { Forwarding } from '../../test/support/pair/plan';
import { clientRecord, runStory, type StoryResult } from '../../test/support/pair/scenario';
import { heartbeatLogs } from '../../test/support/pair/heartbeat-pair';
import { buildBed } from '../../test/support/pair/topology';
import { arrangement as arrangementOf } from './arrangements';
import { sampleTakeover } from './diag';
import { heartbeatStory } from './heartbeat-cases';
import { formatRows, type Row } from './table';

const STREAMS = 20;
const ALL = [
  'keepalived-ours:nat:sync',
  'keepalived-ours:dr:sync',
  'keepalived-ours:nat:nosync',
  'keepalived-ours:dr:nosync',
  'keepalived-own:nat:sync',
  'keepalived-own:nat:nosync',
  'pacemaker-ours:nat:sync',
  'heartbeat-ours:nat:sync',
  'heartbeat-ours-classic:nat:nosync',
  'heartbeat-perl:nat:nosync',
];

/** tcpdump on every interface of the root namespace until the returned function is called (PAIR_CAPTURE). */
function capture(file: string): () => Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const p = spawn('tcpdump', ['-i', 'any', '-s', '128', '-U', '-w', file, 'tcp', 'port', '80'], { stdio: 'ignore' });
  return () =>
    new Promise((resolve) => {
      // The capture names interfaces by index (`tcpdump -e`): the root namespace's links at the end, beside it.
      try {
        writeFileSync(file.replace(/\.pcap$/, '.links.txt'), execFileSync('ip', ['-o', 'link', 'show']));
      } catch {
        // the capture is still worth keeping
      }
      if (p.exitCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGINT');
    });
}

/** Story `n` (from 1, in the order run) of one case. */
async function one(arrangement: string, forwarding: Forwarding, sync: boolean, n: number): Promise<StoryResult> {
  const name = `${arrangement}-${forwarding}-${sync ? 'sync' : 'nosync'}`;
  const dir = `/tmp/pair-bench/${name}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const bed = await buildBed(forwarding, { streams: STREAMS });
  const captureDir = process.env.PAIR_CAPTURE;
  const captureFile = captureDir ? path.join(captureDir, `${name}-${n}.pcap`) : undefined;
  const stopCapture = captureFile !== undefined ? capture(captureFile) : async () => undefined;
  const log = (l: string): void => {
    process.stderr.write(`[${arrangement} ${forwarding} ${sync ? 'sync' : 'nosync'}] ${l}\n`);
  };
  try {
    const how =
      heartbeatStory(arrangement, forwarding, sync, dir) ??
      (() => {
        const { startNode, takeoverTimeoutMs, failback } = arrangementOf(arrangement, { forwarding, sync, dir });
        return { startNode, takeoverTimeoutMs, awaitSync: sync, ...(failback !== undefined ? { failback } : {}) };
      })();
    const result = await runStory(bed, {
      streams: STREAMS,
      ...how,
      log,
      ...(process.env.PAIR_DIAG === '1'
        ? {
            onEvent: (ev: string, taker: 1 | 2, mark: number) => {
              void sampleTakeover(bed, taker, mark, (l) => log(`diag ${ev}: ${l}`));
            },
          }
        : {}),
    });
    // With the capture, the client's record (every request's times, outcome and local port) beside it.
    if (captureFile !== undefined)
      writeFileSync(captureFile.replace(/\.pcap$/, '.client.json'), JSON.stringify(await clientRecord(bed)));
    return result;
  } catch (e) {
    process.stderr.write(`${bed.tail(15)}\n${heartbeatLogs(dir, 40)}\n`);
    throw e;
  } finally {
    await stopCapture();
    await bed.dispose();
  }
}

async function main(): Promise<void> {
  const once = (process.env.PAIR_CASES ?? ALL.join(',')).split(',').filter((c) => c !== '');
  const cases = Array.from({ length: Number(process.env.PAIR_REPEAT ?? 1) }, () => once).flat();
  const rows: Row[] = [];
  for (const [i, c] of cases.entries()) {
    const [arrangement = '', forwarding = 'nat', sync = 'sync'] = c.split(':');
    const started = Date.now();
    try {
      const r = await one(arrangement, forwarding as Forwarding, sync === 'sync', i + 1);
      process.stderr.write(`${JSON.stringify({ case: c, seconds: (Date.now() - started) / 1000, result: r })}\n`);
      rows.push({ arrangement, forwarding, sync: sync === 'sync', result: r });
    } catch (e) {
      process.stderr.write(`${c}: ${(e as Error).stack ?? String(e)}\n`);
      rows.push({ arrangement, forwarding, sync: sync === 'sync', error: (e as Error).message.split('\n')[0] });
    }
  }
  process.stdout.write(`${formatRows(rows, STREAMS)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(1);
  },
);
