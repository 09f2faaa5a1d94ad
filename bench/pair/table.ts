// The comparison table: one row per story (arrangement × forwarding × sync), the arrangement named by what
// moves the VIP and what keeps the table. Pure.
import type { StoryResult, Takeover } from '../../test/support/pair/scenario';

export interface Row {
  readonly arrangement: string;
  readonly forwarding: string;
  readonly sync: boolean;
  readonly result?: StoryResult;
  readonly error?: string;
}

/** Cluster manager + the program keeping the IPVS table (and the sync daemons), per arrangement name. */
const LABELS: Readonly<Record<string, string>> = {
  'keepalived-ours': 'keepalived VRRP + ldirectord-ts',
  'keepalived-own': 'keepalived alone (VRRP + checker + lvs_sync_daemon)',
  'keepalived-own-preempt30': 'keepalived alone, preempt_delay 30',
  'pacemaker-ours': 'pacemaker + corosync (IPaddr2) + ldirectord-ts',
};

export const labelOf = (arrangement: string): string => LABELS[arrangement] ?? arrangement;

const s = (ms: number): string => (ms / 1000).toFixed(2);

/** When the taker's table was complete: already when the VIP arrived, or that long after it. */
const complete = (t: Takeover): string => (t.tableCompleteAtVip ? 'at VIP' : `VIP + ${s(t.tableCompleteAfterMs)} s`);

const COLUMNS = [
  'arrangement',
  'fwd',
  'sync',
  'streams kept failover',
  'streams kept failback',
  'new-conn gap failover max / p50 (s)',
  'new-conn gap failback max / p50 (s)',
  'VIP moved after (s) over / back',
  "taker's table complete over / back",
  'synced entries at takeover over / back',
];

export function formatRows(rows: readonly Row[], streams: number): string {
  const head = [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map(() => '---|').join('')}`];
  const body = rows.map((r) => {
    const lead = `| ${labelOf(r.arrangement)} | ${r.forwarding} | ${r.sync ? 'yes' : 'no'} |`;
    if (r.result === undefined) return `${lead} failed: ${r.error ?? '?'} |${' |'.repeat(COLUMNS.length - 4)}`;
    const { failover: f, failback: b } = r.result;
    return (
      `${lead} ${f.streamsSurvived}/${f.streamsBefore} (of ${streams}) | ${b.streamsSurvived}/${b.streamsBefore} | ` +
      `${s(f.gapMaxMs)} / ${s(f.gapP50Ms)} | ${s(b.gapMaxMs)} / ${s(b.gapP50Ms)} | ${s(f.vipAfterMs)} / ${s(b.vipAfterMs)} | ` +
      `${complete(f)} / ${complete(b)} | ${f.syncedAtVip} / ${b.syncedAtVip} |`
    );
  });
  return [...head, ...body].join('\n');
}
