// Decide: the sync-daemon operations that turn what GET_DAEMON reports into what the config asks for. Pure.
//
//   desired undefined (syncdaemon unset)  → no ops: the director does not manage sync daemons
//   role wanted, none running             → start
//   role wanted, one running that differs → stop, then start (the kernel allows one daemon per role: EEXIST)
//   role not wanted (none, or master only / backup only), one running → stop
//
// Order: every stop before any start, master before backup within each, so a changed daemon is gone before its
// replacement is asked for.

import type { SyncDaemon } from '../ipvs/types';
import type { SyncConfig, SyncRole } from '../model/config';

export type SyncOp =
  | { readonly kind: 'stop'; readonly role: SyncRole; readonly why: 'unwanted' | 'changed' }
  | { readonly kind: 'start'; readonly daemon: SyncDaemon };

const ROLES: readonly SyncRole[] = ['master', 'backup'];

/** What start_sync_thread fills in for an unset group, port and ttl. */
export const KERNEL_SYNC_DEFAULTS = { group: '224.0.0.81', port: 8848, ttl: 1 } as const;

/** The NEW_DAEMON request for one role of a sync config (unset values left to the kernel). */
export function daemonFor(c: SyncConfig, role: SyncRole): SyncDaemon {
  return {
    state: role,
    mcastInterface: c.interface,
    syncId: c.syncid,
    ...(c.maxlen !== undefined ? { maxLength: c.maxlen } : {}),
    ...(c.group !== undefined ? { mcastGroup: c.group } : {}),
    ...(c.port !== undefined ? { mcastPort: c.port } : {}),
    ...(c.ttl !== undefined ? { mcastTtl: c.ttl } : {}),
  };
}

/**
 * Whether a running daemon is the one wanted. A value the kernel does not report counts as equal. The kernel
 * clamps a max length to what the interface MTU allows, so a reported maxlen that differs from the wanted one
 * still matches when the wanted one is what this director asked for last time (`requested`).
 */
export function sameDaemon(want: SyncDaemon, have: SyncDaemon, requested?: SyncDaemon): boolean {
  const eq = <T>(w: T, h: T | undefined): boolean => h === undefined || w === h;
  const maxlenOk =
    want.maxLength === undefined ||
    have.maxLength === undefined ||
    want.maxLength === have.maxLength ||
    (requested !== undefined && requested.maxLength === want.maxLength);
  return (
    want.mcastInterface === have.mcastInterface &&
    want.syncId === have.syncId &&
    eq((want.mcastGroup ?? KERNEL_SYNC_DEFAULTS.group).toLowerCase(), have.mcastGroup?.toLowerCase()) &&
    eq(want.mcastPort ?? KERNEL_SYNC_DEFAULTS.port, have.mcastPort) &&
    eq(want.mcastTtl ?? KERNEL_SYNC_DEFAULTS.ttl, have.mcastTtl) &&
    maxlenOk
  );
}

export function planSync(
  desired: SyncConfig | undefined,
  actual: readonly SyncDaemon[],
  requested: ReadonlyMap<SyncRole, SyncDaemon> = new Map(),
): SyncOp[] {
  if (desired === undefined) return [];
  const stops: SyncOp[] = [];
  const starts: SyncOp[] = [];
  for (const role of ROLES) {
    const have = actual.find((d) => d.state === role);
    const want = desired.roles.includes(role) ? daemonFor(desired, role) : undefined;
    if (want === undefined) {
      if (have !== undefined) stops.push({ kind: 'stop', role, why: 'unwanted' });
    } else if (have === undefined) {
      starts.push({ kind: 'start', daemon: want });
    } else if (!sameDaemon(want, have, requested.get(role))) {
      stops.push({ kind: 'stop', role, why: 'changed' });
      starts.push({ kind: 'start', daemon: want });
    }
  }
  return [...stops, ...starts];
}

/** The ops of a director stop: with syncdaemonstop=yes, stop the managed roles that run; else none. */
export function planSyncStop(
  desired: SyncConfig | undefined,
  stopAtExit: boolean,
  actual: readonly SyncDaemon[],
): SyncOp[] {
  if (desired === undefined || !stopAtExit) return [];
  return ROLES.filter((role) => desired.roles.includes(role) && actual.some((d) => d.state === role)).map(
    (role) => ({ kind: 'stop', role, why: 'unwanted' }) as const,
  );
}

export function describeSyncOp(op: SyncOp): string {
  if (op.kind === 'stop') return `stop ${op.role} sync daemon${op.why === 'changed' ? ' (configuration changed)' : ''}`;
  return `start ${describeDaemon(op.daemon)}`;
}

export function describeDaemon(d: SyncDaemon): string {
  const extra = [
    d.maxLength !== undefined ? `maxlen ${d.maxLength}` : '',
    d.mcastGroup !== undefined ? `group ${d.mcastGroup}` : '',
    d.mcastPort !== undefined ? `port ${d.mcastPort}` : '',
    d.mcastTtl !== undefined ? `ttl ${d.mcastTtl}` : '',
  ].filter((s) => s !== '');
  return `${d.state} sync daemon on ${d.mcastInterface} syncid ${d.syncId}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}
