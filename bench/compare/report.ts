// The markdown report: one table per scale, one row per figure, the three programs side by side and the
// ratio of ours to each peer. A figure cut short by its cap says so instead of showing a number.

import { CHECK_INTERVAL_S, CHECK_TIMEOUT_S } from './configs';
import { LABEL, type ProgramName } from './programs';
import type { Latencies, Result } from './scenarios';

type Cell = { text: string; value?: number };
const na: Cell = { text: '—' };
const num = (v: number | undefined, digits: number, suffix = ''): Cell =>
  v === undefined || !Number.isFinite(v) ? na : { text: `${v.toFixed(digits)}${suffix}`, value: v };

/** Nearest-rank percentile over all expected servers; servers never seen count as beyond the cap. */
function pct(l: Latencies | undefined, p: number): Cell {
  if (!l || l.expected === 0) return na;
  const rank = Math.ceil(p * l.expected);
  const v = l.seen[rank - 1];
  if (v === undefined) return { text: `> cap (${l.seen.length}/${l.expected} seen)` };
  const partial = l.seen.length < l.expected ? ` (${l.seen.length}/${l.expected} seen)` : '';
  return { text: `${v.toFixed(2)}${partial}`, value: v };
}

interface Row {
  label: string;
  target: string;
  cell(r: Result): Cell;
}

const rows = (reals: number): Row[] => {
  const budget = (CHECK_INTERVAL_S + CHECK_TIMEOUT_S) * 1.1;
  return [
    {
      label: 'cold start-up: time to a complete table (s)',
      target: '',
      cell: (r) =>
        r.startComplete === false
          ? { text: `incomplete after ${r.startS?.toFixed(0)} s (${r.startUp ?? '?'}/${reals} up)` }
          : num(r.startS, 2),
    },
    {
      label: 'cold start-up: table changes seen (minimum = services + reals)',
      target: `${reals + 10}`,
      cell: (r) => num(r.startChanges, 0),
    },
    {
      label: 'cold start-up: changes beyond one per service and real now in the table (flaps)',
      target: '0',
      cell: (r) => num(r.startExtra, 0),
    },
    { label: 'warm start (table already complete): changes made', target: '0', cell: (r) => num(r.warmChanges, 0) },
    {
      label: 'warm start: every real server checked once (s)',
      target: `≤ ${CHECK_INTERVAL_S + CHECK_TIMEOUT_S}`,
      cell: (r) =>
        r.warmRoundComplete === false
          ? { text: `incomplete after ${r.warmRoundS?.toFixed(0)} s` }
          : num(r.warmRoundS, 1),
    },
    { label: 'checks/s completed', target: `${reals / CHECK_INTERVAL_S}`, cell: (r) => num(r.checksPerS, 1) },
    {
      label: 'share of the schedule (checks/s ÷ reals/interval)',
      target: '100 %',
      cell: (r) => num(r.scheduleShare === undefined ? undefined : r.scheduleShare * 100, 0, ' %'),
    },
    {
      label: 'CPU s per 1,000 checks (program + children; window from 60 s after start)',
      target: '≤ keepalived',
      cell: (r) => num(r.cpuPer1000, 3),
    },
    { label: 'peak RSS, Σ VmHWM of the tree (MiB)', target: '', cell: (r) => num(r.rssMiB, 1) },
    { label: 'detection down p50 (s)', target: '', cell: (r) => pct(r.down, 0.5) },
    { label: 'detection down p99 (s)', target: `≤ ${budget.toFixed(1)}`, cell: (r) => pct(r.down, 0.99) },
    { label: 'detection back up p50 (s)', target: '', cell: (r) => pct(r.up, 0.5) },
    { label: 'detection back up p99 (s)', target: `≤ ${budget.toFixed(1)}`, cell: (r) => pct(r.up, 0.99) },
    { label: 'healthy reals taken down during detection', target: '0', cell: (r) => num(r.falseDown, 0) },
    {
      label: 'detection: time the ip -batch taking the dark servers down took (ms)',
      target: '',
      cell: (r) => num(r.darkSwitchMs, 0),
    },
    { label: 'witness: mean /proc/net/ip_vs poll during detection (ms)', target: '', cell: (r) => num(r.pollMs, 0) },
    {
      label: 'witness: phase ends where ipvsadm -Ln disagreed with /proc/net/ip_vs',
      target: '0',
      cell: (r) =>
        r.witnessChecks
          ? { text: `${r.witnessDisagreements ?? 0} of ${r.witnessChecks}`, value: r.witnessDisagreements ?? 0 }
          : na,
    },
    {
      label: 'reload: time to apply (s)',
      target: '',
      cell: (r) => (r.reloadApplied === false ? { text: 'not applied within cap' } : num(r.reloadS, 2)),
    },
    { label: 'reload: changes to the other services', target: '0', cell: (r) => num(r.reloadOtherChanges, 0) },
    { label: "reload: changes to the edited service's reals", target: '0', cell: (r) => num(r.reloadOwnChanges, 0) },
  ];
};

function ratio(a: Cell, b: Cell): string {
  if (a.value === undefined || b.value === undefined) return '—';
  if (b.value === 0) return a.value === 0 ? '=' : '—';
  return `${(a.value / b.value).toFixed(2)}×`;
}

export function renderScale(reals: number, results: readonly Result[]): string {
  const by = (p: ProgramName): Result | undefined => results.find((r) => r.program === p);
  const programs: ProgramName[] = ['ours', 'perl', 'keepalived'];
  const head = `| ${reals} real servers | ${programs.map((p) => LABEL[p]).join(' | ')} | ours ÷ Perl | ours ÷ keepalived | target |`;
  const lines = [head, `|${'---|'.repeat(programs.length + 4)}`];
  for (const row of rows(reals)) {
    const cells = programs.map((p) => {
      const r = by(p);
      return r ? row.cell(r) : na;
    });
    const [o, pl, k] = cells as [Cell, Cell, Cell];
    lines.push(
      `| ${row.label} | ${cells.map((c) => c.text).join(' | ')} | ${ratio(o, pl)} | ${ratio(o, k)} | ${row.target} |`,
    );
  }
  const errors = results
    .filter((r) => r.error)
    .map((r) => `* ${LABEL[r.program]}: stopped early: ${r.error} (log: ${r.log ?? '—'})`);
  return [...lines, '', ...errors].join('\n');
}
