// The connection-sync daemons' metrics, computed at scrape time from the director's snapshot (the keeper in
// src/sync/keeper.ts holds the state). Kept apart from METRIC: they exist only with syncdaemon set.

import { Counter, Gauge, type Registry } from 'prom-client';
import type { DirectorSnapshot } from '../../reconcile/snapshot';
import type { SyncRoleStatus } from '../../sync/keeper';

export const SYNC_METRIC = {
  up: 'ldirectord_sync_daemon_up',
  wanted: 'ldirectord_sync_daemon_wanted',
  errors: 'ldirectord_sync_daemon_errors_total',
} as const;

export function syncDaemonMetrics(snapshot: () => DirectorSnapshot, registers: Registry[]): void {
  /** A gauge by role, set from each role's status while the daemons are managed, absent otherwise. */
  const roleGauge = (name: string, help: string, value: (r: SyncRoleStatus) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['role'],
      registers,
      collect() {
        this.reset();
        const s = snapshot().syncDaemons;
        if (s?.managed !== true) return;
        for (const r of s.roles) this.set({ role: r.role }, value(r));
      },
    });
  };
  roleGauge(
    SYNC_METRIC.up,
    'Whether the kernel ran the sync daemon of this role at the last pass (1 running, 0 not); only with syncdaemon set.',
    (r) => (r.running === null ? 0 : 1),
  );
  roleGauge(
    SYNC_METRIC.wanted,
    'Whether the config asks for the sync daemon of this role (1) or for none (0); only with syncdaemon set.',
    (r) => (r.wanted ? 1 : 0),
  );
  new Counter({
    name: SYNC_METRIC.errors,
    help: 'Sync daemon operations the kernel refused (or reads that failed, role "any"), by errno name.',
    labelNames: ['role', 'errno'],
    registers,
    collect() {
      this.reset();
      for (const [key, n] of Object.entries(snapshot().syncDaemons?.errors ?? {})) {
        const [role = 'any', errno = 'ERROR'] = key.split('|');
        this.inc({ role, errno }, n);
      }
    },
  });
}
