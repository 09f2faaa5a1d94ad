// Small SVG graphs for the status page, drawn on the server from numbers. Pure.
//
// A graph is an SvgNode tree (`[tag, attributes, ...children]`, plain JSON): the page's script builds it with
// createElementNS/setAttribute (nothing is ever parsed as markup), and svgMarkup() writes it as text (the
// golden tests, the bench). Colours are SVG presentation attributes, never `style`, so the page's
// Content-Security-Policy keeps style-src to its nonce.
//
// Geometry: one sample per `step` pixels, the oldest at x = 0 and the newest at the right edge; y grows
// downwards, 1 px margin at top and bottom, scaled to the largest value of the window (every series of one
// graph on the same scale). NaN is "no sample": the line breaks there. Coordinates are whole pixels and the
// path is written in relative steps (`M0 22l1-3 1 0 …`), so a 120-sample line costs about 500 bytes.

export type SvgAttrs = Readonly<Record<string, string | number>>;
export type SvgNode = readonly [tag: string, attrs: SvgAttrs, ...children: (SvgNode | string)[]];

export interface LineSeries {
  readonly values: ArrayLike<number>;
  readonly stroke: string;
}

export interface Geometry {
  /** Pixels between two samples (a whole number). */
  readonly step: number;
  readonly height: number;
}

/** The y of `v` on a graph of `height` px whose top is `max`. */
function yOf(v: number, max: number, height: number): number {
  const span = height - 2;
  return max > 0 ? height - 1 - Math.round((Math.min(v, max) / max) * span) : height - 1;
}

/** The `d` of one series: a run of finite values is one subpath; a lone value is a dot (round caps). */
export function linePath(values: ArrayLike<number>, max: number, g: Geometry): string {
  let d = '';
  let prevY: number | undefined;
  let first = false;
  const step = String(g.step);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      prevY = undefined;
      continue;
    }
    const y = yOf(Math.max(0, v), max, g.height);
    if (prevY === undefined) {
      const lone = i + 1 >= values.length || !Number.isFinite(values[i + 1] as number);
      d += `M${i * g.step} ${y}l${lone ? '0 0' : ''}`;
      first = !lone;
    } else {
      const dy = y - prevY;
      d += (first ? step : ` ${step}`) + (dy < 0 ? String(dy) : ` ${dy}`);
      first = false;
    }
    prevY = y;
  }
  return d;
}

/** The largest finite value of the series (0 when none). */
export function seriesMax(series: readonly ArrayLike<number>[]): number {
  let max = 0;
  for (const s of series)
    for (let i = 0; i < s.length; i++) {
      const v = s[i] as number;
      if (Number.isFinite(v) && v > max) max = v;
    }
  return max;
}

/** A line graph of one or more series on one scale, with `title` as its accessible name (SVG <title>). */
export function lineGraph(series: readonly LineSeries[], slots: number, g: Geometry, title: string): SvgNode {
  const width = Math.max(1, (slots - 1) * g.step);
  const max = seriesMax(series.map((s) => s.values));
  // the line attributes are set once on the root: SVG presentation attributes are inherited
  return [
    'svg',
    {
      width,
      height: g.height,
      viewBox: `0 0 ${width} ${g.height}`,
      fill: 'none',
      'stroke-width': 1.5,
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    },
    ['title', {}, title],
    ['rect', { width, height: g.height, fill: '#f1f3f6' }],
    ...series.map((s): SvgNode => ['path', { d: linePath(s.values, max, g), stroke: s.stroke }]),
  ];
}

/** Timeline states, one per sample (history.ts writes them). */
export const STATE_COLOURS: Readonly<Record<number, string>> = {
  1: '#1f8a3a', // up
  2: '#c0392b', // down
  3: '#95a5a6', // unknown
  4: '#e69b00', // drain
  5: '#6c3483', // maintenance
};

/**
 * The health timeline: one rectangle per run of equal states (0 = no sample: nothing drawn), and a tick
 * mark at every sample during which the server changed state (`marks[i] > 0`).
 */
export function timeline(states: ArrayLike<number>, marks: ArrayLike<number>, g: Geometry, title: string): SvgNode {
  const slots = states.length;
  const width = Math.max(1, (slots - 1) * g.step);
  const rects: SvgNode[] = [];
  let i = 0;
  while (i < slots) {
    const s = states[i] as number;
    let j = i + 1;
    while (j < slots && states[j] === s) j++;
    const colour = STATE_COLOURS[s];
    if (colour !== undefined) {
      // sample i covers [x_i - step/2, x_i + step/2], cut at the edges
      const x0 = Math.max(0, i * g.step - g.step / 2);
      const x1 = Math.min(width, (j - 1) * g.step + g.step / 2);
      rects.push(['rect', { x: x0, width: Math.max(x1 - x0, 1), height: g.height, fill: colour }]);
    }
    i = j;
  }
  let ticks = '';
  for (let k = 0; k < marks.length; k++) if ((marks[k] as number) > 0) ticks += `M${k * g.step} 0v${g.height}`;
  return [
    'svg',
    { width, height: g.height, viewBox: `0 0 ${width} ${g.height}` },
    ['title', {}, title],
    ['rect', { width, height: g.height, fill: '#f1f3f6' }],
    ...rects,
    ...(ticks === '' ? [] : [['path', { d: ticks, stroke: '#1d232a', 'stroke-width': 1 }] as SvgNode]),
  ];
}

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The node as SVG text (the root gets the SVG namespace). */
export function svgMarkup(node: SvgNode, root = true): string {
  const [tag, attrs, ...kids] = node;
  const ns = root && tag === 'svg' ? ' xmlns="http://www.w3.org/2000/svg"' : '';
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escape(String(v))}"`)
    .join('');
  const inner = kids.map((k) => (typeof k === 'string' ? escape(k) : svgMarkup(k, false))).join('');
  return inner === '' ? `<${tag}${ns}${a}/>` : `<${tag}${ns}${a}>${inner}</${tag}>`;
}
