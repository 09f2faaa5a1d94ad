// The in-memory table's record of every call made to it, in order, with its outcome. Tests compare the exact
// list; --dry-run prints it.

import type { IpvsOperation } from '../errors';
import type { DestKey, ServiceKey } from '../types';

export interface IpvsOpRecord {
  readonly seq: number;
  readonly operation: IpvsOperation;
  readonly service?: ServiceKey;
  readonly dest?: DestKey;
  /** 'ok', or the error code the call was rejected with. */
  readonly outcome: string;
  /** True for calls that change the table (adds, edits, deletes, zero, timeouts, daemons, flush). */
  readonly mutating: boolean;
}

export const MUTATING: ReadonlySet<IpvsOperation> = new Set<IpvsOperation>([
  'add-service',
  'edit-service',
  'delete-service',
  'add-dest',
  'edit-dest',
  'delete-dest',
  'zero',
  'set-timeouts',
  'start-daemon',
  'stop-daemon',
  'flush',
]);

export class OpLog {
  private readonly records: IpvsOpRecord[] = [];

  /** Appends the call and returns its record (O(1): a caller that wants the record must not copy the log). */
  add(r: Omit<IpvsOpRecord, 'seq' | 'mutating'>): IpvsOpRecord {
    const record: IpvsOpRecord = Object.freeze({
      ...r,
      seq: this.records.length + 1,
      mutating: MUTATING.has(r.operation),
    });
    this.records.push(record);
    return record;
  }

  all(): readonly IpvsOpRecord[] {
    return [...this.records];
  }

  /** Mutations that succeeded: what a real kernel would now reflect. */
  applied(): readonly IpvsOpRecord[] {
    return this.records.filter((r) => r.mutating && r.outcome === 'ok');
  }

  counts(): Readonly<Partial<Record<IpvsOperation, number>>> {
    const out: Partial<Record<IpvsOperation, number>> = {};
    for (const r of this.records) out[r.operation] = (out[r.operation] ?? 0) + 1;
    return out;
  }
}
