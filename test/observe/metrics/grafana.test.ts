// contrib/grafana/ldirectord-dashboard.json: valid dashboard JSON whose every query names metrics that the
// daemon's registry really has (and that uses every metric the registry exports, and some of the process ones).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { quietMetrics } from './support/quiet-metrics';
import { METRIC } from '../../../src/observe/metrics/names';

interface Target {
  refId: string;
  expr: string;
  legendFormat?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  datasource?: { type: string; uid: string };
}
interface Dashboard {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; query?: unknown; definition?: string }> };
  annotations: { list: Array<{ expr?: string }> };
}

const FILE = path.join(__dirname, '..', '..', '..', 'contrib', 'grafana', 'ldirectord-dashboard.json');
const dash = JSON.parse(readFileSync(FILE, 'utf8')) as Dashboard;

const registry = quietMetrics().registry;

const exprs = (): string[] => [
  ...dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
  ...dash.templating.list.flatMap((v) => (typeof v.definition === 'string' ? [v.definition] : [])),
  ...dash.annotations.list.flatMap((a) => (a.expr === undefined ? [] : [a.expr])),
];
const familyName = (n: string): string => {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (
      n.endsWith(suffix) &&
      registry.getSingleMetric(n) === undefined &&
      registry.getSingleMetric(n.slice(0, -suffix.length)) !== undefined
    )
      return n.slice(0, -suffix.length);
  }
  return n;
};

describe('Grafana dashboard', () => {
  it('is a dashboard: title, uid, schema version, panels with unique ids, grid positions inside 24 columns, queries', () => {
    expect(dash).toMatchObject({ title: 'ldirectord', uid: 'ldirectord-ts' });
    expect(dash.schemaVersion).toBeGreaterThanOrEqual(30);
    const ids = dash.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dash.panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      expect(p.gridPos.h).toBeGreaterThan(0);
      if (p.type === 'row') continue;
      expect([p.title, p.datasource?.type, (p.targets ?? []).length > 0]).toEqual([p.title, 'prometheus', true]);
      const refs = (p.targets ?? []).map((t) => t.refId);
      expect(new Set(refs).size).toBe(refs.length);
    }
  });

  it('references only metrics that exist in the registry, with a histogram suffix only on histograms', async () => {
    const used = new Set<string>();
    for (const e of exprs()) {
      expect([e, /\bldirectord_[a-z0-9_]+\b/.test(e)]).toEqual([e, true]);
      const names = e.match(/\b(?:ldirectord|process|nodejs)_[a-z0-9_]+\b/g) ?? [];
      for (const n of names) {
        const fam = familyName(n);
        const metric = registry.getSingleMetric(fam);
        expect([n, metric === undefined ? 'missing' : 'ok']).toEqual([n, 'ok']);
        if (fam !== n) expect([n, (await metric?.get())?.type]).toEqual([n, 'histogram']);
        used.add(fam);
      }
    }
    expect(Object.values(METRIC).filter((m) => !used.has(m))).toEqual([]);
    expect([...used].filter((m) => !m.startsWith('ldirectord_')).sort()).toEqual([
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
      'process_cpu_seconds_total',
      'process_open_fds',
      'process_resident_memory_bytes',
    ]);
  });

  it('joins the process metrics on ldirectord_build_info, so other Node.js processes are left out', () => {
    for (const e of exprs().filter((x) => /\b(?:process|nodejs)_/.test(x))) {
      expect([e, e.includes('* on (instance, job) group_left (version) ldirectord_build_info')]).toEqual([e, true]);
    }
  });

  it('uses only labels the metrics have in its selectors', () => {
    const labelsOf = new Map<string, Set<string>>();
    for (const name of Object.values(METRIC)) {
      labelsOf.set(name, new Set((registry.getSingleMetric(name) as unknown as { labelNames: string[] }).labelNames));
    }
    expect([...(labelsOf.get(METRIC.realState) ?? [])]).toEqual(['virtual', 'real', 'state']);
    for (const e of exprs()) {
      for (const sel of e.matchAll(/\b(ldirectord_[a-z0-9_]+)\{([^}]*)\}/g)) {
        const fam = familyName(sel[1] as string);
        const known = new Set([...(labelsOf.get(fam) ?? []), 'le']);
        for (const l of (sel[2] as string).matchAll(/([a-z_]+)\s*(=~|!=|!~|=)/g))
          expect([fam, l[1], known.has(l[1] as string)]).toEqual([fam, l[1], true]);
      }
    }
  });
});
