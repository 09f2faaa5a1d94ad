// The keeper against the in-memory kernel: desired state kept through start, external stop, reload and stop;
// a kernel refusal is logged, counted and shown, never thrown.

import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import type { Config, SyncConfig } from '../../src/model/config';
import type { Logger } from '../../src/observe/log/logger';
import { createSyncKeeper } from '../../src/sync/keeper';
import { config } from '../reconcile/support/fixtures';

const at = { file: 'l.cf', line: 3, col: 12 };
const both: SyncConfig = { source: at, roles: ['master', 'backup'], interface: 'eth1', syncid: 7 };
const withSync = (s: SyncConfig | undefined, stop = false): Config =>
  config([], { ...(s ? { syncdaemon: s } : {}), syncdaemonstop: stop });

function setup() {
  const ipvs = createMemoryIpvs({ interfaces: ['lo', 'eth1'] });
  const lines: string[] = [];
  const logger: Logger = {
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    debug: () => undefined,
  };
  let now = 1000;
  const keeper = createSyncKeeper({ client: ipvs, logger, now: () => now });
  const running = async (): Promise<string[]> =>
    (await ipvs.listSyncDaemons()).map((d) => `${d.state}:${d.mcastInterface}:${d.syncId}`);
  return {
    ipvs,
    lines,
    keeper,
    running,
    tick: (ms: number) => {
      now += ms;
    },
  };
}

describe('sync keeper', () => {
  it('starts both daemons at start and restores one stopped from outside at the next resync', async () => {
    const { ipvs, keeper, running, lines } = setup();
    await keeper.sync(withSync(both), 'start');
    expect(await running()).toEqual(['master:eth1:7', 'backup:eth1:7']);
    await ipvs.stopSyncDaemon('backup');
    await keeper.sync(withSync(both), 'resync');
    expect(await running()).toEqual(['master:eth1:7', 'backup:eth1:7']);
    expect(lines).toEqual([
      'info sync daemon: start master sync daemon on eth1 syncid 7 (start)',
      'info sync daemon: start backup sync daemon on eth1 syncid 7 (start)',
      'info sync daemon: start backup sync daemon on eth1 syncid 7 (resync)',
    ]);
    expect(keeper.status().roles.map((r) => [r.role, r.wanted, r.running?.syncId, r.lastError])).toEqual([
      ['master', true, 7, null],
      ['backup', true, 7, null],
    ]);
  });

  it('changes the daemons on reload and leaves them alone when nothing changed', async () => {
    const { ipvs, keeper, running } = setup();
    await keeper.sync(withSync(both), 'start');
    await keeper.sync(withSync({ ...both, roles: ['backup'], syncid: 8 }), 'reload');
    expect(await running()).toEqual(['backup:eth1:8']);
    const before = ipvs.log.lastSeq();
    await keeper.sync(withSync({ ...both, roles: ['backup'], syncid: 8 }), 'resync');
    expect(ipvs.log.since(before).map((e) => e.operation)).toEqual(['list-daemons']);
  });

  it('logs, counts and shows a missing interface (ENODEV) without throwing, and recovers once the config is fixed', async () => {
    const { keeper, running, lines, tick } = setup();
    const bad = { ...both, interface: 'eth9' };
    await expect(keeper.sync(withSync(bad), 'start')).resolves.toBeUndefined();
    tick(60_000);
    await keeper.sync(withSync(bad), 'resync');
    expect(await running()).toEqual([]);
    const s = keeper.status();
    expect(s.errors).toEqual({ 'master|ENODEV': 2, 'backup|ENODEV': 2 });
    expect(s.roles[0]?.lastError).toMatchObject({
      at: 61_000,
      phase: 'resync',
      errno: 'ENODEV',
      operation: 'start master sync daemon on eth9 syncid 7',
    });
    expect(lines[0]).toBe(
      'error sync daemon: start master sync daemon on eth9 syncid 7 failed (start): start-daemon: ENODEV (no interface eth9)',
    );
    await keeper.sync(withSync(both), 'reload');
    expect(await running()).toEqual(['master:eth1:7', 'backup:eth1:7']);
    expect(keeper.status().roles.map((r) => r.lastError)).toEqual([null, null]);
  });

  it('a failed read is logged and counted under role "any"', async () => {
    const { ipvs, keeper, lines } = setup();
    await ipvs.close();
    await keeper.sync(withSync(both), 'start');
    expect(keeper.status().errors).toEqual({ 'any|IPVS_CLOSED': 1 });
    expect(lines.filter((l) => l.startsWith('error sync daemon: read the sync daemons failed (start)'))).toHaveLength(
      1,
    );
  });

  it('leaves the daemons running at stop by default, stops them with syncdaemonstop=yes', async () => {
    const kept = setup();
    await kept.keeper.sync(withSync(both), 'start');
    await kept.keeper.stop(withSync(both));
    expect(await kept.running()).toEqual(['master:eth1:7', 'backup:eth1:7']);
    expect(kept.lines.at(-1)).toBe(
      'info sync daemon: left running at stop (syncdaemonstop=no): master sync daemon on eth1 syncid 7 (maxlen 1472, group 224.0.0.81, port 8848, ttl 1); backup sync daemon on eth1 syncid 7 (maxlen 1472, group 224.0.0.81, port 8848, ttl 1)',
    );
    const stopped = setup();
    await stopped.keeper.sync(withSync(both, true), 'start');
    await stopped.keeper.stop(withSync(both, true));
    expect(await stopped.running()).toEqual([]);
  });

  it('never touches daemons while unmanaged; a reload that drops syncdaemon stops the ones it ran, once', async () => {
    const { ipvs, keeper, running } = setup();
    await ipvs.startSyncDaemon({ state: 'backup', mcastInterface: 'lo', syncId: 1 });
    await keeper.sync(withSync(undefined), 'start');
    expect(await running()).toEqual(['backup:lo:1']);
    expect(keeper.status().managed).toBe(false);
    await ipvs.stopSyncDaemon('backup');
    await keeper.sync(withSync({ ...both, roles: ['master'] }), 'reload');
    await keeper.sync(withSync(undefined), 'reload');
    expect(await running()).toEqual([]);
    await ipvs.startSyncDaemon({ state: 'master', mcastInterface: 'lo', syncId: 2 });
    await keeper.sync(withSync(undefined), 'resync');
    expect(await running()).toEqual(['master:lo:2']);
  });
});
