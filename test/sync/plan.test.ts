// The sync plan: exact op lists for every case of desired × running.

import type { SyncDaemon } from '../../src/ipvs/types';
import type { SyncConfig } from '../../src/model/config';
import { daemonFor, planSync, planSyncStop, type SyncOp } from '../../src/sync/plan';

const at = { file: 'l.cf', line: 1, col: 12 };
const both: SyncConfig = { source: at, roles: ['master', 'backup'], interface: 'eth1', syncid: 7 };
const none: SyncConfig = { source: at, roles: [], interface: '', syncid: 0 };
/** As GET_DAEMON reports a daemon started with only interface and id. */
const kernel = (state: 'master' | 'backup', extra: Partial<SyncDaemon> = {}): SyncDaemon => ({
  state,
  mcastInterface: 'eth1',
  syncId: 7,
  maxLength: 1472,
  mcastGroup: '224.0.0.81',
  mcastPort: 8848,
  mcastTtl: 1,
  ...extra,
});
const start = (d: SyncDaemon): SyncOp => ({ kind: 'start', daemon: d });

describe('planSync', () => {
  it('does nothing while syncdaemon is unset, whatever runs', () => {
    expect(planSync(undefined, [kernel('master'), kernel('backup')])).toEqual([]);
  });

  it('starts both roles, master first, on an empty kernel', () => {
    expect(planSync(both, [])).toEqual([
      start({ state: 'master', mcastInterface: 'eth1', syncId: 7 }),
      start({ state: 'backup', mcastInterface: 'eth1', syncId: 7 }),
    ]);
  });

  it('does nothing when the running daemons are the wanted ones with the kernel defaults filled in', () => {
    expect(planSync(both, [kernel('master'), kernel('backup')])).toEqual([]);
  });

  it('restores only the role someone stopped', () => {
    expect(planSync(both, [kernel('master')])).toEqual([start(daemonFor(both, 'backup'))]);
  });

  it('stops a changed daemon before starting its replacement, all stops before all starts', () => {
    const changed: SyncConfig = { ...both, syncid: 9, port: 8849 };
    expect(planSync(changed, [kernel('master'), kernel('backup')])).toEqual([
      { kind: 'stop', role: 'master', why: 'changed' },
      { kind: 'stop', role: 'backup', why: 'changed' },
      start({ state: 'master', mcastInterface: 'eth1', syncId: 9, mcastPort: 8849 }),
      start({ state: 'backup', mcastInterface: 'eth1', syncId: 9, mcastPort: 8849 }),
    ]);
  });

  it('sees a change of interface, group, port or ttl, and a group or port dropped back to the default', () => {
    const running = [kernel('master', { mcastGroup: '239.9.9.9', mcastPort: 9000 })];
    const master: SyncConfig = { ...both, roles: ['master'] };
    expect(planSync(master, running)).toEqual([
      { kind: 'stop', role: 'master', why: 'changed' },
      start(daemonFor(master, 'master')),
    ]);
    expect(planSync({ ...master, group: '239.9.9.9', port: 9000 }, running)).toEqual([]);
    expect(planSync({ ...master, group: '239.9.9.9', port: 9000, ttl: 2 }, running)).toHaveLength(2);
    expect(planSync({ ...master, interface: 'eth2', group: '239.9.9.9', port: 9000 }, running)).toHaveLength(2);
  });

  it('stops the role that is no longer wanted and leaves the other', () => {
    expect(planSync({ ...both, roles: ['backup'] }, [kernel('master'), kernel('backup')])).toEqual([
      { kind: 'stop', role: 'master', why: 'unwanted' },
    ]);
  });

  it('syncdaemon=none stops whatever runs', () => {
    expect(planSync(none, [kernel('master'), kernel('backup')])).toEqual([
      { kind: 'stop', role: 'master', why: 'unwanted' },
      { kind: 'stop', role: 'backup', why: 'unwanted' },
    ]);
  });

  it('a maxlen the kernel clamped is no change when it is what was asked for last time', () => {
    const big: SyncConfig = { ...both, roles: ['master'], maxlen: 9000 };
    const running = [kernel('master', { maxLength: 1472 })];
    expect(planSync(big, running)).toHaveLength(2);
    expect(planSync(big, running, new Map([['master', daemonFor(big, 'master')]]))).toEqual([]);
    expect(planSync({ ...big, maxlen: 1000 }, running, new Map([['master', daemonFor(big, 'master')]]))).toHaveLength(
      2,
    );
  });
});

describe('planSyncStop', () => {
  it('stops the managed roles that run only with syncdaemonstop=yes', () => {
    const running = [kernel('master'), kernel('backup')];
    expect(planSyncStop(both, false, running)).toEqual([]);
    expect(planSyncStop(undefined, true, running)).toEqual([]);
    expect(planSyncStop({ ...both, roles: ['backup'] }, true, running)).toEqual([
      { kind: 'stop', role: 'backup', why: 'unwanted' },
    ]);
    expect(planSyncStop(both, true, [kernel('backup')])).toEqual([{ kind: 'stop', role: 'backup', why: 'unwanted' }]);
  });
});
