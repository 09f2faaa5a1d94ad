// A strict parser of the Prometheus text exposition format (version 0.0.4), for the tests: every line must
// be a HELP, a TYPE or a sample; a family's HELP/TYPE come before its samples, once each; names and label
// names follow the grammar; label values use only the \\ \" \n escapes; values are Go floats (NaN, ±Inf);
// a series appears once; counters end in _total; histograms have _bucket{le} (cumulative, ending in +Inf),
// _sum and _count, with _count equal to the +Inf bucket. Any deviation throws with the line number.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, at: string): number {
  // Prometheus reads NaN in any case (Go's ParseFloat); prom-client writes `Nan` for an empty event-loop-lag sample.
  if (text.toLowerCase() === 'nan') return NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text))
    throw new Error(`${at}: bad value ${JSON.stringify(text)}`);
  return Number(text);
}

function parseLabels(text: string, at: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`${at}: label without =`);
    const name = text.slice(i, eq);
    if (!LABEL.test(name)) throw new Error(`${at}: bad label name ${JSON.stringify(name)}`);
    if (name in labels) throw new Error(`${at}: label ${name} twice`);
    if (text[eq + 1] !== '"') throw new Error(`${at}: label value of ${name} not quoted`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`${at}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const n = text[j + 1];
        if (n === '\\') value += '\\';
        else if (n === '"') value += '"';
        else if (n === 'n') value += '\n';
        else throw new Error(`${at}: bad escape \\${n ?? ''}`);
        j += 2;
        continue;
      }
      if (c === '\n') throw new Error(`${at}: raw newline in label value`);
      value += c;
      j++;
    }
    labels[name] = value;
    i = j + 1;
    if (i === text.length) break;
    if (text[i] !== ',') throw new Error(`${at}: expected , between labels`);
    i++;
  }
  return labels;
}

function familyOf(sample: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(sample);
  if (direct !== undefined) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (sample.endsWith(suffix)) {
      const f = families.get(sample.slice(0, -suffix.length));
      if (f !== undefined && (f.type === 'histogram' || f.type === 'summary')) return f;
    }
  }
  return undefined;
}

export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('exposition does not end with a newline');
  const families = new Map<string, Family>();
  const helps = new Map<string, string>();
  const series = new Set<string>();
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, idx) => {
    const at = `line ${idx + 1}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (m === null) return; // a plain comment
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`${at}: bad metric name ${name}`);
      if (kind === 'HELP') {
        if (helps.has(name)) throw new Error(`${at}: second HELP for ${name}`);
        helps.set(name, rest);
        return;
      }
      if (families.has(name)) throw new Error(`${at}: second TYPE for ${name}`);
      if (!TYPES.has(rest as MetricType)) throw new Error(`${at}: bad type ${rest}`);
      if (rest === 'counter' && !name.endsWith('_total'))
        throw new Error(`${at}: counter ${name} does not end in _total`);
      families.set(name, { name, type: rest as MetricType, help: helps.get(name) ?? '', samples: [] });
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (m === null) throw new Error(`${at}: not a sample: ${JSON.stringify(line)}`);
    const [, name, labelText, valueText] = m as unknown as [string, string, string | undefined, string];
    const f = familyOf(name, families);
    if (f === undefined) throw new Error(`${at}: sample ${name} before its TYPE`);
    const labels = labelText === undefined || labelText === '' ? {} : parseLabels(labelText, at);
    const key = `${name}{${Object.keys(labels)
      .sort()
      .map((k) => `${k}=${JSON.stringify(labels[k])}`)
      .join(',')}}`;
    if (series.has(key)) throw new Error(`${at}: series ${key} twice`);
    series.add(key);
    f.samples.push({ name, labels, value: parseValue(valueText, at) });
  });
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

function checkHistogram(f: Family): void {
  const groups = new Map<string, Sample[]>();
  const keyOf = (s: Sample): string =>
    JSON.stringify(
      Object.entries(s.labels)
        .filter(([k]) => k !== 'le')
        .sort(),
    );
  for (const s of f.samples) {
    const k = keyOf(s);
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const [k, ss] of groups) {
    const buckets = ss.filter((s) => s.name === `${f.name}_bucket`);
    const count = ss.find((s) => s.name === `${f.name}_count`);
    const sum = ss.find((s) => s.name === `${f.name}_sum`);
    if (count === undefined || sum === undefined || buckets.length === 0)
      throw new Error(`histogram ${f.name} ${k}: missing _bucket, _sum or _count`);
    let prev = -Infinity;
    let prevCount = 0;
    for (const b of buckets) {
      const le = parseValue(b.labels.le ?? 'x', `${f.name} le`);
      if (!(le > prev) || b.value < prevCount)
        throw new Error(`histogram ${f.name} ${k}: buckets not ascending/cumulative`);
      prev = le;
      prevCount = b.value;
    }
    if (prev !== Infinity || prevCount !== count.value)
      throw new Error(`histogram ${f.name} ${k}: no +Inf bucket equal to _count`);
  }
}

/** The one sample of `name` whose labels include `labels`; throws when there is none or several. */
export function sampleOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): Sample {
  const f = familyOf(name, families);
  const hits = (f?.samples ?? []).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (hits.length !== 1) throw new Error(`${hits.length} samples of ${name} with ${JSON.stringify(labels)}`);
  return hits[0] as Sample;
}
