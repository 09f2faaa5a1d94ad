// The sync daemons' metrics and /status.json field, from the director's snapshot.

import { createKernelStats } from '../../src/observe/metrics/kernel-stats';
import { quietMetrics } from '../observe/metrics/support/quiet-metrics';
import { SYNC_METRIC } from '../../src/observe/metrics/sync-daemons';
import { statusModel } from '../../src/observe/status/model';
import type { DirectorSnapshot } from '../../src/reconcile/snapshot';
import type { SyncStatus } from '../../src/sync/keeper';

const daemon = { state: 'master', mcastInterface: 'eth1', syncId: 7 } as const;
const sync: SyncStatus = {
  managed: true,
  stopAtExit: false,
  lastPass: 5,
  roles: [
    { role: 'master', wanted: true, running: daemon, lastError: null },
    {
      role: 'backup',
      wanted: true,
      running: null,
      lastError: {
        at: 5,
        phase: 'start',
        operation: 'start backup sync daemon on eth1 syncid 7',
        errno: 'EEXIST',
        message: 'x',
      },
    },
  ],
  errors: { 'backup|EEXIST': 2, 'any|IPVS_TIMEOUT': 1 },
};

async function scrape(snap: DirectorSnapshot): Promise<string[]> {
  const kernel = createKernelStats({
    client: { listServices: async () => [], listDests: async () => [] },
    owned: () => [],
    now: () => 0,
    ttlMs: 1000,
  });
  const m = quietMetrics({ snapshot: () => snap, kernel });
  return (await m.scrape()).split('\n').filter((l) => l.startsWith('ldirectord_sync_daemon'));
}

describe('sync daemon metrics and status', () => {
  it('up and wanted per role, refusals by role and errno', async () => {
    expect(await scrape({ file: 'f', state: 'running', virtuals: [], syncDaemons: sync })).toEqual([
      `${SYNC_METRIC.up}{role="master"} 1`,
      `${SYNC_METRIC.up}{role="backup"} 0`,
      `${SYNC_METRIC.wanted}{role="master"} 1`,
      `${SYNC_METRIC.wanted}{role="backup"} 1`,
      `${SYNC_METRIC.errors}{role="backup",errno="EEXIST"} 2`,
      `${SYNC_METRIC.errors}{role="any",errno="IPVS_TIMEOUT"} 1`,
    ]);
  });

  it('no series while the sync daemons are not managed', async () => {
    expect(
      await scrape({ file: 'f', state: 'running', virtuals: [], syncDaemons: { ...sync, managed: false, errors: {} } }),
    ).toEqual([]);
  });

  it('/status.json carries the sync status as is', () => {
    expect(
      statusModel({ file: 'f', state: 'running', virtuals: [], syncDaemons: sync }, () => undefined, [], 0).syncDaemons,
    ).toEqual(sync);
    expect(statusModel({ file: 'f', state: 'running', virtuals: [] }, () => undefined, [], 0).syncDaemons).toBeNull();
  });
});
