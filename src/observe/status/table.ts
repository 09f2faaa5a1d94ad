// The status model as a plain-text table for `ldirectord status` in a terminal. Pure.

import type { StatusModel } from './model';

const w = (x: number | null | 'keep'): string => (x === null ? '-' : String(x));

function pad(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function statusTable(m: StatusModel, maxReason = 60): string {
  const rows: string[][] = [['VIRTUAL', 'REAL', 'HEALTH', 'OVERRIDE', 'WEIGHT cfg/want/kernel', 'LAST CHECK']];
  for (const v of m.virtuals) {
    for (const r of v.reals) {
      const reason = r.lastCheck === null ? '-' : r.lastCheck.reason.replace(/\s+/g, ' ');
      rows.push([
        v.label,
        r.real,
        r.health,
        r.override === 'none' ? '-' : r.override,
        `${r.weight.configured}/${w(r.weight.desired)}/${w(r.weight.kernel)}`,
        reason.length > maxReason ? `${reason.slice(0, maxReason - 1)}…` : reason,
      ]);
    }
    if (v.fallback !== null) {
      rows.push([
        v.label,
        `${v.fallback.label} (fallback)`,
        v.fallback.active === true ? 'active' : 'idle',
        '-',
        `-/-/${w(v.fallback.kernelWeight)}`,
        '-',
      ]);
    }
  }
  return `${pad(rows)}\n`;
}

/** Checks that a parsed /status.json has the shape this version prints; returns why not otherwise. */
export function statusModelProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'not a JSON object';
  const o = v as Partial<StatusModel>;
  if (o.version !== 1) return `unsupported status version ${JSON.stringify(o.version)}`;
  if (!Array.isArray(o.virtuals)) return '"virtuals" is not an array';
  for (const x of o.virtuals) {
    if (typeof x?.label !== 'string' || !Array.isArray(x.reals)) return 'a virtual service without label or reals';
    for (const r of x.reals) {
      if (
        typeof r?.real !== 'string' ||
        typeof r.health !== 'string' ||
        typeof r.weight !== 'object' ||
        r.weight === null
      )
        return 'a real server without real/health/weight';
    }
  }
  return undefined;
}
