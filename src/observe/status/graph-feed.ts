// The status page's graphs, wired: the history (history.ts) fed by check results and transitions as they
// happen and by a sample every `intervalMs` on the injected clock (sampler.ts: the kernel's counters, the
// director's snapshot, the operator overrides), and GET /graphs.json drawn once per sample (and gzip'd once,
// off the event loop, when a client takes gzip) and served from that copy to every client until the next one.
// The drawing gives the event loop back every DRAW_CHUNK real servers: thousands of them never hold up the
// health checks for the whole drawing.

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
  /** The body of GET /graphs.json. */
  body(): Promise<GraphsBody>;
  stop(): void;
}

export function createGraphFeed(o: GraphFeedOptions): GraphFeed {
  const intervalMs = o.intervalMs ?? GRAPH_DEFAULTS.intervalMs;
  const windowMs = o.windowMs ?? GRAPH_DEFAULTS.windowMs;
  const history = createHistory(Math.max(2, Math.round(windowMs / intervalMs) || 0));
  let ids: { virtuals: string[]; reals: string[] } = { virtuals: [], reals: [] };
  let cached: { ticks: number; body: Promise<GraphsBody> } | undefined;
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
    body() {
      if (cached?.ticks !== history.ticks()) {
        const body = drawJson(history, ids, intervalMs).then((text): GraphsBody => {
          let packed: Promise<Buffer> | undefined;
          return { text, gzip: () => (packed ??= gzipAsync(text, { level: 4 })) };
        });
        cached = { ticks: history.ticks(), body };
      }
      return cached.body;
    },
    stop() {
      sampler?.stop();
    },
  };
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
