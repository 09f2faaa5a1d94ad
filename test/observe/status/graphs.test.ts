// The status page's graphs: the SVG drawn from known numbers (golden text), the bounded history, and the
// sampling on the fake clock from a stub kernel and snapshot through GET /graphs.json's body.
import { gunzipSync } from 'node:zlib';
import { zeroStats } from '../../../src/ipvs/codec/stats';
import type { IpvsStats } from '../../../src/ipvs/types';
import type { KernelStatsReading } from '../../../src/observe/metrics/kernel-stats';
import { createGraphFeed, type GraphFeed, type GraphSource } from '../../../src/observe/status/graph-feed';
import { formatAmount, type GraphsModel } from '../../../src/observe/status/graphs';
import { createHistory, STATE } from '../../../src/observe/status/history';
import { startSampler } from '../../../src/observe/status/sampler';
import { lineGraph, linePath, svgMarkup, timeline, type SvgNode } from '../../../src/observe/status/svg';
import { configMapping } from '../../../src/reconcile/mapping';
import { destId } from '../../../src/reconcile/keys';
import type { DirectorSnapshot } from '../../../src/reconcile/snapshot';
import { createFakeClock, WALL_CLOCK_START, type FakeClock } from '../../support/fake-clock';
import { loadText } from './support/stack';
import { syntheticSnapshot } from '../metrics/support/synthetic';

const attr = (n: SvgNode, name: string): unknown => n[1][name];
const kids = (n: SvgNode, tag: string): SvgNode[] =>
  n.slice(2).filter((k): k is SvgNode => typeof k !== 'string' && k[0] === tag);
/** Points in a path written by linePath: one per M pair plus one per relative pair after `l`. */
const pointsOf = (d: string): number =>
  d
    .split('M')
    .filter(Boolean)
    .reduce((n, sub) => {
      const [, rel = ''] = sub.split('l');
      const pairs = (rel.match(/-?\d+(\.\d+)?/g) ?? []).length / 2;
      return n + 1 + (rel === '0 0' ? 0 : pairs);
    }, 0);

describe('svg drawing', () => {
  it('draws a series as whole-pixel relative steps, breaking at gaps, a lone value as a dot', () => {
    expect(linePath([0, 5, 10, NaN, 10], 10, { step: 1, height: 12 })).toBe('M0 11l1-5 1-5M4 1l0 0');
    expect(linePath([10, 0, 0], 10, { step: 3, height: 12 })).toBe('M0 1l3 10 3 0');
    expect(linePath([NaN, NaN], 10, { step: 1, height: 12 })).toBe('');
    // all zero (max 0): a flat line at the bottom; values above max are clipped to the top
    expect(linePath([0, 0], 0, { step: 2, height: 6 })).toBe('M0 5l2 0');
    expect(linePath([20, 5], 10, { step: 2, height: 6 })).toBe('M0 1l2 2');
  });

  it('writes a line graph as SVG with presentation attributes only (no style)', () => {
    const g = lineGraph(
      [
        { values: [1, 2, 4], stroke: '#111' },
        { values: [0, NaN, 2], stroke: '#222' },
      ],
      3,
      { step: 4, height: 10 },
      'in & out <B/s>',
    );
    expect(svgMarkup(g)).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="10" viewBox="0 0 8 10" fill="none" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round">' +
        '<title>in &amp; out &lt;B/s&gt;</title>' +
        '<rect width="8" height="10" fill="#f1f3f6"/>' +
        '<path d="M0 7l4-2 4-4" stroke="#111"/>' +
        '<path d="M0 9l0 0M8 5l0 0" stroke="#222"/>' +
        '</svg>',
    );
    expect(svgMarkup(g)).not.toMatch(/style/);
  });

  it('draws the health timeline as runs of colour with a tick at each change', () => {
    const t = timeline([0, 1, 1, 2, 2, 1], [0, 0, 0, 1, 0, 1], { step: 2, height: 8 }, 'health');
    expect(svgMarkup(t)).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="8" viewBox="0 0 10 8">' +
        '<title>health</title><rect width="10" height="8" fill="#f1f3f6"/>' +
        '<rect x="1" width="4" height="8" fill="#1f8a3a"/>' +
        '<rect x="5" width="4" height="8" fill="#c0392b"/>' +
        '<rect x="9" width="1" height="8" fill="#1f8a3a"/>' +
        '<path d="M6 0v8M10 0v8" stroke="#1d232a" stroke-width="1"/></svg>',
    );
  });

  it('formats amounts with SI prefixes', () => {
    expect([0, 3.25, 12.34, 999, 1500, 2_345_678, NaN].map((v) => formatAmount(v, 'B/s'))).toEqual([
      '0 B/s',
      '3.25 B/s',
      '12.3 B/s',
      '999 B/s',
      '1.5 kB/s',
      '2.35 MB/s',
      '- B/s',
    ]);
  });
});

describe('history', () => {
  const counters = (conns: number, inBytes = 0, outBytes = 0) => ({ conns, inBytes, outBytes });
  /** The series' values to 3 significant digits (sample-code.ts keeps 0.035 %); NaN stays NaN. */
  const approx = (a: Float32Array): number[] => [...a].map((v) => (Number.isNaN(v) ? NaN : Number(v.toPrecision(3))));

  it('keeps `slots` samples per key, oldest first: rates from counter deltas, slowest check, state, changes', () => {
    const h = createHistory(3);
    expect(() => createHistory(1)).toThrow(RangeError);
    const keys = ['v', 'v|r'];
    h.checked('v|r', 4);
    h.checked('v|r', 9);
    h.transition('v|r');
    h.tick({ at: 0, counters: new Map([['v|r', counters(100, 1000)]]), states: new Map([['v|r', STATE.up]]), keys });
    h.tick({ at: 2000, counters: new Map([['v|r', counters(110, 5000)]]), states: new Map([['v|r', STATE.up]]), keys });
    h.checked('v|r', 3);
    h.tick({ at: 4000, counters: new Map([['v|r', counters(90)]]), states: new Map([['v|r', STATE.down]]), keys });
    h.tick({ at: 6000, counters: new Map(), states: new Map([['v|r', STATE.drain]]), keys });
    const s = h.series('v|r')!;
    // the first tick fell out of the ring (3 slots); 90 < 110 is a reset: no rate; no row: no rate
    expect(approx(s.conns)).toEqual([5, NaN, NaN]);
    expect(approx(s.inBytes)).toEqual([2000, NaN, NaN]);
    // slowest check of each sample; a sample without a finished check repeats the last one
    expect(approx(s.latency)).toEqual([9, 3, 3]);
    expect([...s.states]).toEqual([STATE.up, STATE.down, STATE.drain]);
    expect([...s.marks]).toEqual([0, 0, 0]);
    expect(h.ticks()).toBe(4);
    expect(h.lastAt()).toBe(6000);
    // a key that leaves the config is forgotten at the next tick
    h.tick({ at: 8000, counters: new Map(), states: new Map(), keys: ['v'] });
    expect(h.series('v|r')).toBeUndefined();
    expect([...h.keys()]).toEqual(['v']);
  });

  it('keeps every key apart past its first arrays, and a key that comes back (or takes a freed row) starts blank', () => {
    const h = createHistory(2);
    const keys = Array.from({ length: 300 }, (_, i) => `v|r${i}`);
    const states = (k: string) =>
      new Map(
        keys.map((key, i) => [key, i % 2 === 0 ? STATE.up : STATE.down]).filter(([key]) => key !== k) as Array<
          [string, number]
        >,
      );
    keys.forEach((k, i) => h.checked(k, i));
    h.tick({ at: 0, counters: new Map(keys.map((k, i) => [k, counters(i)])), states: states(''), keys });
    h.tick({ at: 1000, counters: new Map(keys.map((k, i) => [k, counters(3 * i)])), states: states(''), keys });
    Array.from({ length: 300 }, (_, i) => h.checked(`w|r${i}`, 1)); // more rows than the arrays had: they grow
    for (const i of [0, 1, 63, 64, 65, 128, 299]) {
      const s = h.series(`v|r${i}`)!;
      expect(approx(s.conns)).toEqual([NaN, 2 * i]);
      expect(approx(s.latency)).toEqual([i, i]);
      expect([...s.states]).toEqual(i % 2 === 0 ? [STATE.up, STATE.up] : [STATE.down, STATE.down]);
    }
    // v|r5 leaves; a new key takes its row and must not inherit its samples, nor may v|r5 when it returns
    const without = keys.filter((k) => k !== 'v|r5');
    h.tick({ at: 2000, counters: new Map(), states: states('v|r5'), keys: without });
    expect(h.series('v|r5')).toBeUndefined();
    h.transition('new');
    h.tick({ at: 3000, counters: new Map(), states: new Map(), keys: [...without, 'new', 'v|r5'] });
    for (const k of ['new', 'v|r5']) {
      const s = h.series(k)!;
      expect(approx(s.latency)).toEqual([NaN, NaN]);
      expect([...s.states]).toEqual([STATE.none, STATE.none]);
    }
    expect([...h.series('new')!.marks]).toEqual([0, 1]);
    expect(approx(h.series('v|r6')!.latency)).toEqual([6, 6]);
  });
});

describe('sampler', () => {
  it('samples on the injected clock, never overlapping, on after a failure, nothing pending after stop', async () => {
    const clock = createFakeClock();
    const at: number[] = [];
    const errors: unknown[] = [];
    const s = startSampler({
      clock,
      intervalMs: 1000,
      onError: (e) => errors.push(e),
      sample: () => {
        at.push(clock.now());
        if (at.length === 2) throw new Error('kernel read failed');
      },
    });
    await clock.advanceAndSettle(3500);
    expect(at).toEqual([1000, 2000, 3000]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['kernel read failed']);
    s.stop();
    expect(clock.pending()).toBe(0);
    await clock.advanceAndSettle(5000);
    expect(at).toHaveLength(3);
    expect(() => startSampler({ clock, intervalMs: 0, onError: () => undefined, sample: () => undefined })).toThrow(
      RangeError,
    );
  });
});

describe('graph feed (GET /graphs.json)', () => {
  it('draws every virtual and real server from samples taken on the fake clock', async () => {
    const config = await loadText(
      ['virtual=10.0.0.1:80', '\treal=10.0.0.5:80 masq 3', '\treal=10.0.0.6:80 masq 1', ''].join('\n'),
    );
    const V = 'tcp:10.0.0.1:80';
    const A = `${V}|10.0.0.5:80`;
    const B = `${V}|10.0.0.6:80`;
    const real = (id: string, label: string, health: 'up' | 'down') => ({
      targetId: id,
      label,
      health,
      configuredWeight: 1,
      desiredWeight: 1,
      kernelWeight: 1,
    });
    let bHealth: 'up' | 'down' = 'up';
    const snapshot = (): DirectorSnapshot => ({
      file: config.file,
      state: 'running',
      virtuals: [
        {
          vid: V,
          label: '10.0.0.1:80',
          fallbackActive: false,
          reals: [real(A, '10.0.0.5:80', 'up'), real(B, '10.0.0.6:80', bHealth)],
        },
      ],
    });
    let n = 0;
    const stats = (conns: number, inBytes: number): IpvsStats => ({
      ...zeroStats(),
      conns: BigInt(conns),
      inBytes: BigInt(inBytes),
      outBytes: BigInt(inBytes * 10),
    });
    const v = config.virtuals[0]!;
    const kernel = async (): Promise<KernelStatsReading> => {
      n++;
      return {
        errors: 0,
        rows: [
          { vid: V, stats: stats(n * 60, n * 6000) },
          {
            vid: V,
            real: '10.0.0.5:80',
            destId: destId(configMapping.dest(v, v.reals[0]!)),
            stats: stats(n * 50, n * 5000),
          },
          {
            vid: V,
            real: '10.0.0.6:80',
            destId: destId(configMapping.dest(v, v.reals[1]!)),
            stats: stats(n * 10, n * 1000),
          },
        ],
      };
    };
    const clock = createFakeClock({ start: WALL_CLOCK_START });
    const feed = createGraphFeed({ clock, intervalMs: 5000, windowMs: 60_000 });
    const src: GraphSource = {
      snapshot,
      kernel,
      config: () => config,
      mapping: configMapping,
      override: () => undefined,
    };
    const errors: unknown[] = [];
    feed.start(src, (e) => errors.push(e));
    expect((JSON.parse((await feed.body()).text) as GraphsModel).at).toBeNull();
    for (let i = 0; i < 14; i++) {
      feed.checked(A, 10 + i);
      if (i === 6) {
        bHealth = 'down';
        feed.transition(B);
      }
      await clock.advanceAndSettle(5000);
    }
    feed.stop();
    expect(errors).toEqual([]);
    const body = await feed.body();
    expect(await feed.body()).toBe(body); // one drawing per sample
    expect(gunzipSync(await body.gzip()).toString('utf8')).toBe(body.text);
    expect(await body.gzip()).toBe(await body.gzip()); // gzip'd once
    const m = JSON.parse(body.text) as GraphsModel;
    expect(m).toMatchObject({ version: 1, at: WALL_CLOCK_START + 70_000, intervalMs: 5000, slots: 12 });
    expect(Object.keys(m.virtuals)).toEqual([V]);
    expect(Object.keys(m.reals)).toEqual([A, B]);
    const a = m.reals[A]!;
    // 50 connections and 5000 bytes in per 5 s sample
    expect(a.conns.caption).toBe('10 conn/s · max 10');
    expect(a.traffic.caption).toBe('in 1 kB/s · out 10 kB/s');
    expect(m.virtuals[V]!.conns.caption).toBe('12 conn/s · max 12');
    // a flat rate over the full window: 12 points, the line at the top of the graph (y = 1)
    const connPath = kids(a.conns.svg, 'path')[0]!;
    expect(attr(connPath, 'd')).toBe('M0 1l10 0 10 0 10 0 10 0 10 0 10 0 10 0 10 0 10 0 10 0 10 0');
    expect(pointsOf(attr(connPath, 'd') as string)).toBe(12);
    expect(kids(a.traffic.svg, 'path')).toHaveLength(2);
    // latency 10..23 ms, the last 12 of them, rising to the top
    expect(a.latency.caption).toBe('check 23 ms · max 23 ms');
    expect(pointsOf(attr(kids(a.latency.svg, 'path')[0]!, 'd') as string)).toBe(12);
    // B: up for the first samples, then down, with one tick where it changed
    const tl = m.reals[B]!.timeline;
    expect(tl.caption).toBe('down, 1 change');
    expect(kids(tl.svg, 'rect').map((r) => attr(r, 'fill'))).toEqual(['#f1f3f6', '#1f8a3a', '#c0392b']);
    expect(kids(tl.svg, 'path').map((p) => attr(p, 'd'))).toEqual(['M40 0v8']);
  });
});

/** A feed with a fake clock sampling a fixed snapshot (no config, an empty kernel table), started. */
function startSyntheticFeed(snap: DirectorSnapshot): { clock: FakeClock; feed: GraphFeed } {
  const clock = createFakeClock();
  const feed = createGraphFeed({ clock, intervalMs: 1000, windowMs: 10_000 });
  const config = { virtuals: [] } as unknown as ReturnType<GraphSource['config']>;
  feed.start(
    {
      snapshot: () => snap,
      kernel: async () => ({ rows: [], errors: 0 }),
      config: () => config,
      mapping: configMapping,
      override: () => undefined,
    },
    (e) => {
      throw e;
    },
  );
  return { clock, feed };
}

describe('graph feed drawing in chunks', () => {
  it('writes the same JSON as one drawing, for more real servers than one chunk', async () => {
    const snap = syntheticSnapshot(3, 200);
    const { clock, feed } = startSyntheticFeed(snap);
    for (const r of snap.virtuals.flatMap((v) => v.reals)) feed.checked(r.targetId, 5);
    await clock.advanceAndSettle(3000);
    feed.stop();
    const m = JSON.parse((await feed.body()).text) as GraphsModel;
    expect(Object.keys(m.reals)).toHaveLength(600);
    expect(Object.keys(m.virtuals)).toHaveLength(3);
    expect(m.slots).toBe(10);
    expect(m.reals[snap.virtuals[2]!.reals[199]!.targetId]?.latency.caption).toBe('check 5 ms · max 5 ms');
  });
});

describe('graph feed selection (the servers a page has in view)', () => {
  it('draws only the selected servers that exist, once per sample and selection, in the director order', async () => {
    const snap = syntheticSnapshot(2, 300);
    const { clock, feed } = startSyntheticFeed(snap);
    await clock.advanceAndSettle(2000);
    feed.stop();
    const reals = snap.virtuals.flatMap((v) => v.reals.map((r) => r.targetId));
    const want = { virtuals: [snap.virtuals[1]!.vid, 'no-such-virtual'], reals: [reals[450]!, reals[3]!, 'forged'] };
    const body = await feed.body(want);
    const m = JSON.parse(body.text) as GraphsModel;
    expect(Object.keys(m.virtuals)).toEqual([snap.virtuals[1]!.vid]);
    expect(Object.keys(m.reals)).toEqual([reals[3], reals[450]]);
    expect(await feed.body({ reals: [reals[450]!, reals[3]!, 'forged'], virtuals: want.virtuals })).toBe(body);
    expect(JSON.parse((await feed.body({ virtuals: [], reals: [] })).text)).toMatchObject({ virtuals: {}, reals: {} });
    expect(Object.keys((JSON.parse((await feed.body()).text) as GraphsModel).reals)).toHaveLength(600);
  });
});
