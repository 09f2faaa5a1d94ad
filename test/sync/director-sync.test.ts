// The director keeps the sync daemons as part of its desired state: started at start, changed on reload,
// restored by the periodic resync after an external stop, left running (or stopped) at stop; a refusal is
// logged and shown while the virtual services are still programmed.

import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import type { SyncConfig } from '../../src/model/config';
import { realTargetId } from '../../src/reconcile/desired';
import { harness } from '../daemon/director-harness';
import { config, real, virtual } from '../reconcile/support/fixtures';

const at = { file: 'l.cf', line: 3, col: 12 };
const both: SyncConfig = { source: at, roles: ['master', 'backup'], interface: 'eth1', syncid: 7 };
const v = virtual('10.0.0.1', 80, [real('10.0.0.5')]);

/** Waits (a bounded number of event-loop turns) for an asynchronous pass to reach the kernel. */
async function until(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('condition not reached');
}

describe('director with syncdaemon', () => {
  it('starts, changes on reload, restores after an external stop, and leaves them running at stop', async () => {
    const ipvs = createMemoryIpvs({ interfaces: ['lo', 'eth1'] });
    const running = async (): Promise<string> =>
      (await ipvs.listSyncDaemons()).map((d) => `${d.state}:${d.syncId}`).join(' ');
    const h = await harness(config([v], { syncdaemon: both, resyncinterval: 30 }), { ipvs });
    expect(await running()).toBe('master:7 backup:7');
    expect(h.director.snapshot().syncDaemons?.roles.map((r) => r.running !== null)).toEqual([true, true]);

    expect(
      await h.director.reload({
        ok: true,
        config: config([v], { syncdaemon: { ...both, syncid: 9 }, resyncinterval: 30 }),
      }),
    ).toBe(true);
    expect(await running()).toBe('master:9 backup:9');

    await ipvs.stopSyncDaemon('master');
    h.clock.advance(30_000);
    await until(async () => (await running()) === 'master:9 backup:9');

    await h.director.stop();
    expect(await running()).toBe('master:9 backup:9');
  });

  it('stops them at stop with syncdaemonstop=yes', async () => {
    const ipvs = createMemoryIpvs({ interfaces: ['lo', 'eth1'] });
    const h = await harness(config([v], { syncdaemon: both, syncdaemonstop: true }), { ipvs });
    expect(await ipvs.listSyncDaemons()).toHaveLength(2);
    await h.director.stop();
    expect(await ipvs.listSyncDaemons()).toEqual([]);
  });

  it('a missing interface: the error is logged and shown, the virtual service is programmed all the same', async () => {
    const h = await harness(config([v], { syncdaemon: { ...both, interface: 'eth9' } }));
    expect(await h.table()).toEqual(['S tcp 10.0.0.1:80 wrr']);
    const s = h.director.snapshot().syncDaemons;
    expect(s?.errors).toEqual({ 'master|ENODEV': 1, 'backup|ENODEV': 1 });
    expect(h.sink.messages().filter((m) => m.includes('ENODEV'))).toEqual([
      'sync daemon: start master sync daemon on eth9 syncid 7 failed (start): start-daemon: ENODEV (no interface eth9)',
      'sync daemon: start backup sync daemon on eth9 syncid 7 failed (start): start-daemon: ENODEV (no interface eth9)',
    ]);
    const pass = h.nextPass('transition');
    h.pool.report({ [realTargetId(v, v.reals[0]!)]: true });
    await pass;
    expect(await h.table()).toEqual(['S tcp 10.0.0.1:80 wrr', '  D tcp 10.0.0.1:80 10.0.0.5:80 masq 1']);
    await h.director.stop();
  });
});
