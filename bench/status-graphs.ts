// The status page's graphs at scale: for N real servers (100 per virtual service), a full window of history
// (120 samples: 10 min at 5 s), then
//   - memory the history holds (heap + array buffers, after a forced GC when node runs with --expose-gc);
//   - one sample (history.tick) and one drawing of /graphs.json (graphsModel + JSON), median of 5;
//   - the sizes of /graphs.json and /status.json, and of /graphs.json gzip'd (what a browser gets), with the
//     time to gzip it (once per sample, in the thread pool);
//   - with Debian's Chromium: the page served by the real routes (src/observe/http/routes.ts) from these
//     bodies, time from navigation until the graphs in view are built, and one re-render of the table (what
//     each /status.json poll does) measured in the page.
//   node --expose-gc --import tsx bench/status-graphs.ts
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createRoutes } from '../src/observe/http/routes';
import { graphsModel, type GraphIds } from '../src/observe/status/graphs';
import type { GraphsBody } from '../src/observe/status/graph-feed';
import { createHistory, STATE, type Counters, type History, type TickInput } from '../src/observe/status/history';
import { statusModel } from '../src/observe/status/model';
import type { DirectorSnapshot } from '../src/reconcile/snapshot';
import { syntheticSnapshot } from '../test/observe/metrics/support/synthetic';

// the page script's own top-level names (src/observe/status/page.ts), reached from page.evaluate
declare const model: unknown;
declare function render(m: unknown): void;

const SLOTS = 120;
const INTERVAL_MS = 5000;
const CHROMIUM = '/usr/bin/chromium';

interface Row {
  readonly reals: number;
  readonly bytesPerReal: number;
  readonly tickMs: number;
  readonly drawMs: number;
  /** One drawing of what a page in view asks for: 50 real servers and one virtual service. */
  readonly drawViewMs: number;
  readonly graphsMB: number;
  readonly graphsGzMB: number;
  readonly gzipMs: number;
  readonly statusMB: number;
  readonly pageMs: number | undefined;
  readonly rerenderMs: number | undefined;
  readonly built: number | undefined;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const used = (): number => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Sample `k` of a fleet whose traffic swings per server (so the lines have realistic lengths). */
function input(snap: DirectorSnapshot, k: number): TickInput {
  const counters = new Map<string, Counters>();
  const states = new Map<string, number>();
  const keys: string[] = [];
  let j = 0;
  for (const v of snap.virtuals) {
    keys.push(v.vid);
    counters.set(v.vid, { conns: k * 500, inBytes: k * 5e5, outBytes: k * 5e6 });
    for (const r of v.reals) {
      j++;
      keys.push(r.targetId);
      const c = Math.floor(k * 10 + 40 * Math.sin((k + j) / 7));
      counters.set(r.targetId, { conns: c, inBytes: c * 1500, outBytes: c * 9000 });
      states.set(r.targetId, (k + j) % 97 < 3 ? STATE.down : STATE.up);
    }
  }
  return { at: k * INTERVAL_MS, counters, states, keys };
}

function fill(h: History, snap: DirectorSnapshot, from: number, n: number): void {
  for (let k = from; k < from + n; k++) {
    for (const v of snap.virtuals) for (const r of v.reals) h.checked(r.targetId, 2 + ((k * 7) % 13));
    h.tick(input(snap, k));
  }
}

const idsOf = (snap: DirectorSnapshot) => ({
  virtuals: snap.virtuals.map((v) => v.vid),
  reals: snap.virtuals.flatMap((v) => v.reals.map((r) => r.targetId)),
});

async function inBrowser(
  status: string,
  graphs: (selection?: GraphIds) => Promise<GraphsBody>,
): Promise<[number, number, number]> {
  const server = http.createServer(
    createRoutes({
      usersConfigured: false,
      verify: async () => false,
      status: async () => JSON.parse(status),
      graphs,
      metrics: async () => ({ contentType: 'text/plain', body: '' }),
      action: async () => {
        throw new Error('no actions in the bench');
      },
      pollMs: 600_000,
      tls: false,
      onError: (m) => console.error(m),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const t0 = performance.now();
    await page.goto(url);
    /** The page's document, typed for what the probes read (the bench compiles without the DOM lib). */
    type Doc = { querySelectorAll(q: string): { length: number }; body: { dataset: Record<string, string> } };
    // the first rows are in view: their graphs are built (the page builds only what comes near the viewport)
    const firstDrawn = (): boolean =>
      (globalThis as unknown as { document: Doc }).document.querySelectorAll('tr[data-real] svg').length >= 4;
    await page.waitForFunction(firstDrawn, undefined, { timeout: 600_000, polling: 50 });
    const first = performance.now() - t0;
    const built = await page.evaluate(
      () => (globalThis as unknown as { document: Doc }).document.querySelectorAll('tr[data-real] svg').length / 4,
    );
    // one re-render of the table, as every /status.json poll does (the graph boxes move into the new rows)
    const again = await page.evaluate(() => {
      const t = performance.now();
      render(model);
      (
        globalThis as unknown as { document: { body: { getBoundingClientRect(): unknown } } }
      ).document.body.getBoundingClientRect();
      return performance.now() - t;
    });
    return [first, again, built];
  } finally {
    await browser.close();
    server.close();
  }
}

async function measure(nv: number, nr: number, browser: boolean): Promise<Row> {
  const snap = syntheticSnapshot(nv, nr);
  const before = used();
  const h = createHistory(SLOTS);
  fill(h, snap, 1, SLOTS);
  const bytes = used() - before;
  const ticks: number[] = [];
  const draws: number[] = [];
  const viewDraws: number[] = [];
  const all = idsOf(snap);
  const inView = { virtuals: all.virtuals.slice(0, 1), reals: all.reals.slice(0, 50) };
  let body = '';
  for (let i = 0; i < 5; i++) {
    const next = input(snap, SLOTS + 1 + i);
    let t = performance.now();
    h.tick(next);
    ticks.push(performance.now() - t);
    t = performance.now();
    body = JSON.stringify(graphsModel(h, all, INTERVAL_MS));
    draws.push(performance.now() - t);
    t = performance.now();
    JSON.stringify(graphsModel(h, inView, INTERVAL_MS));
    viewDraws.push(performance.now() - t);
  }
  const tz = performance.now();
  gzipSync(body, { level: 4 });
  const gzipMs = performance.now() - tz;
  const status = JSON.stringify(statusModel(snap, () => undefined, [], Date.now()));
  let page: [number, number, number] | undefined;
  if (browser) {
    let k = SLOTS + 10;
    let sampledAt = performance.now();
    // a new sample at most once a second of the page's requests (the daemon: every 5 s); the page's selection
    // drawn as the daemon does
    const gz = promisify(gzip);
    const graphs = async (selection?: GraphIds): Promise<GraphsBody> => {
      if (performance.now() - sampledAt >= 1000) {
        h.tick(input(snap, k++));
        sampledAt = performance.now();
      }
      const want = selection ?? all;
      const text = JSON.stringify(graphsModel(h, want, INTERVAL_MS));
      let packed: Promise<Buffer> | undefined;
      return { text, gzip: () => (packed ??= gz(text, { level: 4 })) };
    };
    page = await inBrowser(status, graphs);
  }
  return {
    reals: nv * nr,
    bytesPerReal: bytes / (nv * nr + nv),
    tickMs: median(ticks),
    drawMs: median(draws),
    drawViewMs: median(viewDraws),
    graphsMB: Buffer.byteLength(body) / 1e6,
    graphsGzMB: gzipSync(body, { level: 4 }).length / 1e6,
    gzipMs,
    statusMB: Buffer.byteLength(status) / 1e6,
    pageMs: page?.[0],
    rerenderMs: page?.[1],
    built: page?.[2],
  };
}

async function main(): Promise<void> {
  const browser = existsSync(CHROMIUM);
  if (!browser) console.warn(`${CHROMIUM} missing: the page columns are left empty (scripts/install-deps installs it)`);
  if ((globalThis as { gc?: unknown }).gc === undefined)
    console.warn('run with node --expose-gc for the memory column (it is noisy without a forced GC)');
  await measure(2, 100, false); // warm-up (JIT), not reported
  const rows: Row[] = [];
  for (const [nv, nr] of [
    [1, 100],
    [10, 100],
    [50, 100],
  ] as const)
    rows.push(await measure(nv, nr, browser));
  console.log(
    `node ${process.version}, ${process.platform}/${process.arch}, load average ${loadavg()[0]?.toFixed(1)}; ${SLOTS} samples per series (10 min at 5 s); 100 real servers per virtual service; tick and draw: median of 5`,
  );
  console.log(
    '| real servers | history bytes per server | sample (tick) ms | draw /graphs.json, all servers ms | draw /graphs.json, 50 in view ms | /graphs.json MB | gzipped MB | gzip ms | /status.json MB | page load until graphs in view ms | servers with graphs built | table re-render ms |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const f = (x: number | undefined, d = 0): string => (x === undefined ? '-' : x.toFixed(d));
  for (const r of rows)
    console.log(
      `| ${r.reals.toLocaleString('en')} | ${f(r.bytesPerReal)} | ${f(r.tickMs, 1)} | ${f(r.drawMs, 0)} | ${f(r.drawViewMs, 1)} | ${f(r.graphsMB, 2)} | ${f(r.graphsGzMB, 2)} | ${f(r.gzipMs)} | ${f(r.statusMB, 2)} | ${f(r.pageMs)} | ${f(r.built)} | ${f(r.rerenderMs)} |`,
    );
}

void main();
