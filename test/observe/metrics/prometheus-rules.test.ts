// contrib/prometheus/ldirectord.rules.yml: promtool (Debian's prometheus package) accepts the rules and its unit
// test file raises exactly the expected alerts; the rules name only metrics the daemon exports; every alert is
// tested; and a rule weakened on purpose makes promtool's test fail (so the test file can fail).
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { quietMetrics } from './support/quiet-metrics';

const run = promisify(execFile);
const DIR = path.join(__dirname, '..', '..', '..', 'contrib', 'prometheus');
const RULES = 'ldirectord.rules.yml';
const TESTS = 'ldirectord.rules.test.yml';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}
const rules = (
  parse(readFileSync(path.join(DIR, RULES), 'utf8')) as { groups: Array<{ rules: Rule[] }> }
).groups.flatMap((g) => g.rules);

async function promtool(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  try {
    const r = await run('promtool', args, { cwd });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

describe('Prometheus alert rules', () => {
  it('pass promtool check rules and promtool test rules', async () => {
    expect(await promtool(['check', 'rules', RULES], DIR)).toMatchObject({ code: 0 });
    const t = await promtool(['test', 'rules', TESTS], DIR);
    expect([t.code, t.out]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it('fail promtool test rules when a rule is weakened (the test file can fail)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ldirectord-rules-'));
    try {
      copyFileSync(path.join(DIR, TESTS), path.join(dir, TESTS));
      const text = readFileSync(path.join(DIR, RULES), 'utf8');
      const weakened = text.replace(
        'expr: up{job="ldirectord"} == 0\n        for: 1m',
        'expr: up{job="ldirectord"} == 0\n        for: 0s',
      );
      expect(weakened).not.toBe(text);
      writeFileSync(path.join(dir, RULES), weakened);
      const t = await promtool(['test', 'rules', TESTS], dir);
      expect([t.code, t.out]).toEqual([1, expect.stringContaining('alertname: LdirectordDown')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("name only metrics the daemon exports (and the scrape's own `up`)", () => {
    const registry = quietMetrics().registry;
    for (const r of rules) {
      const names = r.expr.match(/\bldirectord_[a-z0-9_]+/g) ?? [];
      expect([r.alert, names.length > 0 || r.expr.startsWith('up{')]).toEqual([r.alert, true]);
      for (const n of names)
        expect([r.alert, n, registry.getSingleMetric(n) !== undefined]).toEqual([r.alert, n, true]);
    }
  });

  it('every alert has a severity, a summary, a description and a promtool test case', () => {
    const tested = new Set(
      (
        parse(readFileSync(path.join(DIR, TESTS), 'utf8')) as {
          tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
        }
      ).tests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)),
    );
    expect(rules.map((r) => r.alert).sort()).toEqual([
      'LdirectordConfigReloadFailed',
      'LdirectordDown',
      'LdirectordIpvsOperationsFailing',
      'LdirectordRealServerDown',
      'LdirectordSyncDaemonDown',
      'LdirectordVirtualServiceNoRealServerUp',
    ]);
    for (const r of rules) {
      expect([
        r.alert,
        ['critical', 'warning'].includes(r.labels.severity),
        r.annotations.summary.length > 0,
        r.annotations.description.length > 0,
        tested.has(r.alert),
      ]).toEqual([r.alert, true, true, true, true]);
    }
  });
});
