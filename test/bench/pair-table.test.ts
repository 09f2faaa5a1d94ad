// The pair benchmark's table (bench/pair/table.ts): one row per story, every column filled, a failed story
// named with its error, and when the taker's table was complete.
import { formatRows, type Row } from '../../bench/pair/table';
import type { StoryResult } from '../support/pair/scenario';

const event = (name: string, over: Partial<StoryResult['failover']>): StoryResult['failover'] => ({
  name,
  streamsBefore: 20,
  streamsSurvived: 20,
  losses: {},
  failures: {},
  gapStartMs: 0,
  gapMaxMs: 3230,
  gapP50Ms: 40,
  requestsFailed: 2,
  requestsOk: 100,
  vipAfterMs: 3900,
  tableCompleteAtVip: true,
  tableCompleteAfterMs: 0,
  syncedAtVip: 20,
  ...over,
});

describe('pair table', () => {
  test('one row per story, the arrangement by its label, the late table as a delay after the VIP', () => {
    const rows: Row[] = [
      {
        arrangement: 'keepalived-own',
        forwarding: 'nat',
        sync: true,
        result: {
          failover: event('failover', {}),
          failback: event('failback', {
            streamsSurvived: 0,
            losses: { ECONNRESET: 20 },
            tableCompleteAtVip: false,
            tableCompleteAfterMs: 1500,
            syncedAtVip: 0,
          }),
        },
      },
      { arrangement: 'pacemaker-ours', forwarding: 'dr', sync: false, error: 'timed out' },
    ];
    const lines = formatRows(rows, 20).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(
      '| keepalived alone (VRRP + checker + lvs_sync_daemon) | nat | yes | 20/20 (of 20) | 0/20 | 3.23 / 0.04 | ' +
        '3.23 / 0.04 | 3.90 / 3.90 | at VIP / VIP + 1.50 s | 20 / 0 |',
    );
    // A failed story keeps the table's shape: as many cells as the header.
    const cells = (l: string | undefined): number => (l ?? '').split('|').length;
    expect(lines[3]).toContain('| pacemaker + corosync (IPaddr2) + ldirectord-ts | dr | no | failed: timed out |');
    expect(cells(lines[3])).toBe(cells(lines[0]));
  });
});
