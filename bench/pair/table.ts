// The comparison table: one row per story. Pure.
import type { StoryResult } from '../../test/support/pair/scenario';

export interface Row {
  readonly arrangement: string;
  readonly forwarding: string;
  readonly sync: boolean;
  readonly result?: StoryResult;
  readonly error?: string;
}

const s = (ms: number): string => (ms / 1000).toFixed(2);

export function formatRows(rows: readonly Row[], streams: number): string {
  const head = [
    '| arrangement | fwd | sync | streams kept failover | streams kept failback | new-conn gap failover max / p50 (s) | new-conn gap failback max / p50 (s) | VIP moved after (s) over / back | table complete at takeover over / back | synced entries at takeover over / back |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const body = rows.map((r) => {
    const lead = `| ${r.arrangement} | ${r.forwarding} | ${r.sync ? 'yes' : 'no'} |`;
    if (r.result === undefined) return `${lead} failed: ${r.error ?? '?'} | | | | | | |`;
    const { failover: f, failback: b } = r.result;
    const done = (t: { tableCompleteAtVip: boolean; tableCompleteAfterMs: number }): string =>
      t.tableCompleteAtVip ? 'yes' : `+${s(t.tableCompleteAfterMs)} s`;
    return (
      `${lead} ${f.streamsSurvived}/${f.streamsBefore} (of ${streams}) | ${b.streamsSurvived}/${b.streamsBefore} | ` +
      `${s(f.gapMaxMs)} / ${s(f.gapP50Ms)} | ${s(b.gapMaxMs)} / ${s(b.gapP50Ms)} | ${s(f.vipAfterMs)} / ${s(b.vipAfterMs)} | ` +
      `${done(f)} / ${done(b)} | ${f.syncedAtVip} / ${b.syncedAtVip} |`
    );
  });
  return [...head, ...body].join('\n');
}
