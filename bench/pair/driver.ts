// Runs failover/failback stories for each arrangement × forwarding × sync inside one guest and prints one
// table row per story (and the raw results as JSON on stderr). Started by bench/pair/run.
//   PAIR_CASES=keepalived-ours:nat:sync,keepalived-ours:nat:nosync  (default: every case below)
import { mkdirSync } from 'node:fs';

import type { Forwarding } from '../../test/support/pair/plan';
import { runStory, type StoryResult } from '../../test/support/pair/scenario';
import { buildBed } from '../../test/support/pair/topology';
import { arrangement as arrangementOf } from './arrangements';
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
];

async function one(arrangement: string, forwarding: Forwarding, sync: boolean): Promise<StoryResult> {
  const dir = `/tmp/pair-bench/${arrangement}-${forwarding}-${sync ? 'sync' : 'nosync'}`;
  mkdirSync(dir, { recursive: true });
  const bed = await buildBed(forwarding, { streams: STREAMS });
  try {
    const { startNode, takeoverTimeoutMs } = arrangementOf(arrangement, { forwarding, sync, dir });
    return await runStory(bed, {
      streams: STREAMS,
      awaitSync: sync,
      takeoverTimeoutMs,
      log: (l) => process.stderr.write(`[${arrangement} ${forwarding} ${sync ? 'sync' : 'nosync'}] ${l}\n`),
      startNode,
    });
  } catch (e) {
    process.stderr.write(`${bed.tail(15)}\n`);
    throw e;
  } finally {
    await bed.dispose();
  }
}

async function main(): Promise<void> {
  const cases = (process.env.PAIR_CASES ?? ALL.join(',')).split(',').filter((c) => c !== '');
  const rows: Row[] = [];
  for (const c of cases) {
    const [arrangement = '', forwarding = 'nat', sync = 'sync'] = c.split(':');
    const started = Date.now();
    try {
      const r = await one(arrangement, forwarding as Forwarding, sync === 'sync');
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
