// The status page's graphs, wired: the history (history.ts) fed by check results and transitions as they
// happen and by a sample every `intervalMs` on the injected clock (sampler.ts: the kernel's counters, the
// director's snapshot, the operator overrides), and GET /graphs.json drawn once per sample and selection (and
// gzip'd once, off the event loop, when a client takes gzip) and served from that copy until the next sample.
// The page asks only for the servers in view (a selection): drawing all 5,000 real servers cost 12.9 s of CPU
// per sample, a few dozen cost milliseconds. Without a selection everything is drawn, giving the event loop
// back every DRAW_CHUNK real servers so the health checks are never held up for the whole drawing.

import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Clock } from '../../health/types';
import type { Config } from '../../model/config';
import type { IpvsMapping } from '../../reconcile/desired';
import type { DirectorSnapshot } from '../../reconcile/snapshot';
import type { KernelStatsReading } from '../metrics/kernel-stats';
import { graphsModel, type GraphIds } from './graphs';
import { createHistory, type History } from './history';
import { sampleInput } from './sample-input';
import { startSampler, type Sampler } from './sampler';

const DRAW_CHUNK = 250;
/** Drawings kept per sample: one per distinct selection, the oldest dropped beyond this. */
const MAX_SELECTIONS = 16;

/** 10 minutes at one sample per 5 s: 120 samples. */
export const GRAPH_DEFAULTS = { intervalMs: 5000, windowMs: 600_000 } as const;

export interface GraphSource {
  readonly snapshot: () => DirectorSnapshot;
  /** A fresh reading of the kernel's counters (not a cached one: rates divide by the time between samples). */
  readonly kernel: () => Promise<KernelStatsReading>;
  readonly config: () => Config;
  readonly mapping: IpvsMapping;
  readonly override: (targetId: string) => 'drain' | 'maintenance' | undefined;
}

export interface GraphFeedOptions {
  readonly clock: Clock;
  readonly intervalMs?: number;
  readonly windowMs?: number;
}

export interface GraphsBody {
  /** JSON text. */
  readonly text: string;
  /** The same, gzip'd (made on the first call, then kept). */
  gzip(): Promise<Buffer>;
}

const gzipAsync = promisify(gzip);

export interface GraphFeed {
  checked(id: string, durationMs: number): void;
  transition(id: string): void;
  start(source: GraphSource, onError: (e: unknown) => void): void;
  /** The body of GET /graphs.json: the selected servers' graphs (unknown ids are left out), or all of them. */
  body(selection?: GraphIds): Promise<GraphsBody>;
  stop(): void;
}

export function createGraphFeed(o: GraphFeedOptions): GraphFeed {
  const intervalMs = o.intervalMs ?? GRAPH_DEFAULTS.intervalMs;
  const windowMs = o.windowMs ?? GRAPH_DEFAULTS.windowMs;
  const history = createHistory(Math.max(2, Math.round(windowMs / intervalMs) || 0));
  let ids: GraphIds = { virtuals: [], reals: [] };
  /** This sample's drawings by selection (a few viewers at once; cleared at every sample). */
  let cached: { ticks: number; bodies: Map<string, Promise<GraphsBody>> } = { ticks: -1, bodies: new Map() };
  let sampler: Sampler | undefined;
  return {
    checked: (id, ms) => history.checked(id, ms),
    transition: (id) => history.transition(id),
    start(src, onError) {
      sampler ??= startSampler({
        clock: o.clock,
        intervalMs,
        onError,
        sample: async () => {
          const reading = await src.kernel();
          const snap = src.snapshot();
          history.tick(sampleInput(o.clock.now(), snap, reading, src.config(), src.mapping, src.override));
          ids = {
            virtuals: snap.virtuals.map((v) => v.vid),
            reals: snap.virtuals.flatMap((v) => v.reals.map((r) => r.targetId)),
          };
        },
      });
    },
    body(selection) {
      if (cached.ticks !== history.ticks()) cached = { ticks: history.ticks(), bodies: new Map() };
      const chosen = selection === undefined ? ids : select(ids, selection);
      const key = selection === undefined ? '*' : JSON.stringify(chosen);
      let body = cached.bodies.get(key);
      if (body === undefined) {
        body = drawJson(history, chosen, intervalMs).then((text): GraphsBody => {
          let packed: Promise<Buffer> | undefined;
          return { text, gzip: () => (packed ??= gzipAsync(text, { level: 4 })) };
        });
        if (cached.bodies.size >= MAX_SELECTIONS) cached.bodies.delete(cached.bodies.keys().next().value as string);
        cached.bodies.set(key, body);
      }
      return body;
    },
    stop() {
      sampler?.stop();
    },
  };
}

/** The selection's ids that the director has, in the director's order (a stale or forged id draws nothing). */
function select(all: GraphIds, want: GraphIds): GraphIds {
  const v = new Set(want.virtuals);
  const r = new Set(want.reals);
  return { virtuals: all.virtuals.filter((id) => v.has(id)), reals: all.reals.filter((id) => r.has(id)) };
}

/** graphsModel as JSON text, drawn DRAW_CHUNK real servers at a time with the event loop free in between. */
async function drawJson(h: History, ids: GraphIds, intervalMs: number): Promise<string> {
  const head = JSON.stringify({ ...graphsModel(h, { virtuals: ids.virtuals, reals: [] }, intervalMs), reals: {} });
  const parts: string[] = [];
  for (let i = 0; i < ids.reals.length; i += DRAW_CHUNK) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const some = JSON.stringify(
      graphsModel(h, { virtuals: [], reals: ids.reals.slice(i, i + DRAW_CHUNK) }, intervalMs).reals,
    );
    if (some !== '{}') parts.push(some.slice(1, -1));
  }
  // head ends with `"reals":{}}`
  return `${head.slice(0, -3)}{${parts.join(',')}}}\n`;
}
