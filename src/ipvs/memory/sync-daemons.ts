// The kernel's connection-sync daemons as the in-memory table keeps them: at most one master and one backup,
// refused in the kernel's order (ip_vs_genl_new_daemon, then start_sync_thread), defaults filled in as the
// kernel fills them (docs/ipvs-protocol.md).

import { ERRNO } from '../errors';
import type { SyncDaemon } from '../types';
import { checkDaemon } from '../validate';
import { multicastFamily } from '../../model/sync-names';
import { fail } from './entries';

// What start_sync_thread fills in when a field is 0/absent. The kernel derives maxLength from the interface MTU
// (seen: 65507 on lo); without interfaces we assume lo's, or an Ethernet MTU of 1500 for anything else.
const SYNC_DEFAULTS = { mcastGroup: '224.0.0.81', mcastPort: 8848, mcastTtl: 1 } as const;
const syncMaxLength = (ifname: string): number => (ifname === 'lo' ? 65507 : 1472);

export class SyncDaemons {
  private readonly byState = new Map<SyncDaemon['state'], SyncDaemon>();

  get size(): number {
    return this.byState.size;
  }

  start(d: SyncDaemon, mixedFamilyDests: number, interfaces: ReadonlySet<string>): void {
    checkDaemon('start-daemon', d);
    // ip_vs_genl_new_daemon: the group must be multicast; then start_sync_thread: EEXIST, then the device.
    if (d.mcastGroup !== undefined && multicastFamily(d.mcastGroup) === undefined)
      throw fail('start-daemon', ERRNO.EINVAL, `sync group ${d.mcastGroup} is not a multicast address`);
    if (mixedFamilyDests > 0)
      throw fail('start-daemon', ERRNO.EINVAL, 'the sync protocol cannot carry mixed-family destinations');
    if (this.byState.has(d.state))
      throw fail('start-daemon', ERRNO.EEXIST, `a ${d.state} sync daemon is already running`);
    if (!interfaces.has(d.mcastInterface)) throw fail('start-daemon', ERRNO.ENODEV, `no interface ${d.mcastInterface}`);
    this.byState.set(
      d.state,
      Object.freeze({
        state: d.state,
        mcastInterface: d.mcastInterface,
        syncId: d.syncId,
        maxLength: d.maxLength || syncMaxLength(d.mcastInterface),
        mcastGroup: d.mcastGroup ?? SYNC_DEFAULTS.mcastGroup,
        mcastPort: d.mcastPort || SYNC_DEFAULTS.mcastPort,
        mcastTtl: d.mcastTtl || SYNC_DEFAULTS.mcastTtl,
      }),
    );
  }

  stop(state: SyncDaemon['state']): void {
    if (!this.byState.delete(state)) throw fail('stop-daemon', ERRNO.ESRCH, `no ${state} sync daemon is running`);
  }

  /** Master first, as the kernel's dump lists them. */
  list(): SyncDaemon[] {
    return (['master', 'backup'] as const).flatMap((s) => {
      const d = this.byState.get(s);
      return d ? [d] : [];
    });
  }
}
