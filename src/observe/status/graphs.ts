// The graphs of the status page (GET /graphs.json) from the history: for each virtual service its connection
// and traffic rates, for each real server those plus its check latency and its health timeline. Each graph is
// an SVG tree (svg.ts) with a one-line caption. Pure.

import type { History, SeriesView } from './history';
import { lineGraph, seriesMax, timeline, type Geometry, type SvgNode } from './svg';

export interface Graph {
  readonly svg: SvgNode;
  readonly caption: string;
}

export interface VirtualGraphs {
  readonly conns: Graph;
  readonly traffic: Graph;
}

export interface RealGraphs extends VirtualGraphs {
  readonly latency: Graph;
  readonly timeline: Graph;
}

export interface GraphsModel {
  readonly version: 1;
  /** Time of the newest sample (null before the first). */
  readonly at: number | null;
  readonly intervalMs: number;
  readonly slots: number;
  readonly virtuals: Readonly<Record<string, VirtualGraphs>>;
  readonly reals: Readonly<Record<string, RealGraphs>>;
}

const COLOURS = { conns: '#1f6feb', in: '#1f8a3a', out: '#8e44ad', latency: '#d35400' } as const;
const WIDTH = 120;
const HEIGHT = 24;
const TIMELINE_HEIGHT = 8;

/** A rate or duration for people: 3 significant digits at most, SI prefixes from k. */
export function formatAmount(v: number, unit: string): string {
  if (!Number.isFinite(v)) return `- ${unit}`;
  const prefixes = ['', 'k', 'M', 'G', 'T'];
  let i = 0;
  while (Math.abs(v) >= 1000 && i < prefixes.length - 1) {
    v /= 1000;
    i++;
  }
  const text = Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(Math.abs(v) >= 10 ? 1 : 2);
  return `${text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')} ${prefixes[i]}${unit}`;
}

/** The newest finite value (NaN when none). */
function latest(a: ArrayLike<number>): number {
  for (let i = a.length - 1; i >= 0; i--) if (Number.isFinite(a[i] as number)) return a[i] as number;
  return NaN;
}

function describeWindow(slots: number, intervalMs: number): string {
  const s = Math.round(((slots - 1) * intervalMs) / 1000);
  return s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

function rateGraphs(s: SeriesView, g: Geometry, span: string): VirtualGraphs {
  const conns = formatAmount(latest(s.conns), 'conn/s');
  const inB = formatAmount(latest(s.inBytes), 'B/s');
  const outB = formatAmount(latest(s.outBytes), 'B/s');
  return {
    conns: {
      svg: lineGraph(
        [{ values: s.conns, stroke: COLOURS.conns }],
        s.conns.length,
        g,
        `connections per second, last ${span}`,
      ),
      caption: `${conns} · max ${formatAmount(seriesMax([s.conns]), '')}`.trimEnd(),
    },
    traffic: {
      svg: lineGraph(
        [
          { values: s.inBytes, stroke: COLOURS.in },
          { values: s.outBytes, stroke: COLOURS.out },
        ],
        s.inBytes.length,
        g,
        `bytes per second in (green) and out (purple), last ${span}`,
      ),
      caption: `in ${inB} · out ${outB}`,
    },
  };
}

const STATE_NAMES = ['-', 'up', 'down', 'unknown', 'drain', 'maintenance'];

export interface GraphIds {
  readonly virtuals: readonly string[];
  readonly reals: readonly string[];
}

export function graphsModel(h: History, ids: GraphIds, intervalMs: number): GraphsModel {
  const g: Geometry = { step: Math.max(1, Math.floor(WIDTH / (h.slots - 1))), height: HEIGHT };
  const span = describeWindow(h.slots, intervalMs);
  const virtuals: Record<string, VirtualGraphs> = {};
  const reals: Record<string, RealGraphs> = {};
  for (const vid of ids.virtuals) {
    const s = h.series(vid);
    if (s !== undefined) virtuals[vid] = rateGraphs(s, g, span);
  }
  for (const id of ids.reals) {
    const s = h.series(id);
    if (s === undefined) continue;
    let changes = 0;
    for (const m of s.marks) changes += m;
    reals[id] = {
      ...rateGraphs(s, g, span),
      latency: {
        svg: lineGraph(
          [{ values: s.latency, stroke: COLOURS.latency }],
          h.slots,
          g,
          `check duration (slowest per sample), last ${span}`,
        ),
        caption: `check ${formatAmount(latest(s.latency), 'ms')} · max ${formatAmount(seriesMax([s.latency]), 'ms')}`,
      },
      timeline: {
        svg: timeline(
          s.states,
          s.marks,
          { step: g.step, height: TIMELINE_HEIGHT },
          `health, last ${span}; a tick per change`,
        ),
        caption: `${STATE_NAMES[s.states[s.states.length - 1] ?? 0] ?? '-'}, ${changes} change${changes === 1 ? '' : 's'}`,
      },
    };
  }
  return { version: 1, at: Number.isNaN(h.lastAt()) ? null : h.lastAt(), intervalMs, slots: h.slots, virtuals, reals };
}
