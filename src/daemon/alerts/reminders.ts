// emailalertfreq reminders (docs/behaviour.md §4.9): Deleted/Quiescent of a real server (not the fallback) registers a
// reminder; Added/Restored/Purged clear it; a reminder older than its frequency re-sends
// `Inaccessible real server: <rip:rport> (<vip:vport>)` and starts a new period. Pure: time is passed in.

import type { VirtualService } from '../../model/config';
import type { ServerChange } from './events';

export interface Reminder {
  readonly key: string;
  readonly virtual: VirtualService;
  readonly text: string;
  /** When the last mail about this server went out (ms). */
  readonly sentAt: number;
}

function hostPort(address: string, port: number, inet6: boolean): string {
  return inet6 ? `[${address}]:${port}` : `${address}:${port}`;
}

export function virtualLabel(v: VirtualService): string {
  if (v.fwmark !== undefined) return String(v.fwmark);
  return hostPort(v.address ?? '', v.port, v.family === 'inet6');
}

export function reminderText(change: ServerChange): string {
  const rs = hostPort(change.server.address, change.server.port, change.virtual.family === 'inet6');
  return `Inaccessible real server: ${rs} (${virtualLabel(change.virtual)})`;
}

export function reminderKey(change: ServerChange): string {
  return `${change.virtual.id}|${change.server.address}|${change.server.port}`;
}

export type ReminderTable = ReadonlyMap<string, Reminder>;

/**
 * The table after one server change. `now` is read only when a reminder starts: a cold start makes one change
 * per real server, and in the benchmark guest every clock read is a system call (docs/benchmarks.md, "Cold
 * start"). The table is returned as it is when the change leaves it so.
 */
export function applyChange(table: ReminderTable, change: ServerChange, now: () => number): ReminderTable {
  if (change.fallback) return table;
  const key = reminderKey(change);
  if (change.kind === 'deleted' || change.kind === 'quiescent') {
    if (change.virtual.emailalertfreq <= 0 || table.has(key)) return table;
    return new Map(table).set(key, { key, virtual: change.virtual, text: reminderText(change), sentAt: now() });
  }
  if ((change.kind === 'added' || change.kind === 'restored' || change.kind === 'purged') && table.has(key)) {
    const next = new Map(table);
    next.delete(key);
    return next;
  }
  return table;
}

/** Reminders due at `now`, and the table with their period restarted. */
export function dueReminders(table: ReminderTable, now: number): { due: Reminder[]; table: ReminderTable } {
  const due: Reminder[] = [];
  const next = new Map(table);
  for (const r of table.values()) {
    if (now - r.sentAt >= r.virtual.emailalertfreq * 1000) {
      due.push(r);
      next.set(r.key, { ...r, sentAt: now });
    }
  }
  return { due, table: next };
}
