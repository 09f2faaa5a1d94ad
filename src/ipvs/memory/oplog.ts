// The in-memory table's record of every call made to it, in order, with its outcome. Tests compare the exact
// list; --dry-run prints it. It keeps the newest `limit` records (a --dry-run daemon runs for months: an
// unbounded log was a leak), and counts every call ever made.

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

/** Records kept by default: far more than any test makes, a few MiB at most in a long --dry-run. */
export const DEFAULT_OPLOG_LIMIT = 10_000;

export class OpLog {
  /** Ring buffer: the record with seq N lives at (N - 1) % limit. */
  private readonly ring: IpvsOpRecord[] = [];
  private readonly total: Partial<Record<IpvsOperation, number>> = {};
  private seq = 0;

  constructor(private readonly limit = DEFAULT_OPLOG_LIMIT) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`OpLog limit must be a positive integer: ${limit}`);
  }

  /** Appends the call and returns its record (O(1); the oldest record is dropped once `limit` are kept). */
  add(r: Omit<IpvsOpRecord, 'seq' | 'mutating'>): IpvsOpRecord {
    // Field by field, not `{ ...r, seq, mutating }`: V8 gave each record made by that spread a hidden class of
    // its own (~230 bytes more a record, 1.1 MiB of the 10,000 a --dry-run daemon keeps at 5,000 real servers).
    const o: { -readonly [K in keyof IpvsOpRecord]: IpvsOpRecord[K] } = {
      operation: r.operation,
      outcome: r.outcome,
      seq: ++this.seq,
      mutating: MUTATING.has(r.operation),
    };
    if (r.service !== undefined) o.service = r.service;
    if (r.dest !== undefined) o.dest = r.dest;
    const record: IpvsOpRecord = Object.freeze(o);
    this.ring[(record.seq - 1) % this.limit] = record;
    this.total[r.operation] = (this.total[r.operation] ?? 0) + 1;
    return record;
  }

  /** The seq of the newest record (0 before any call): pass it to since() later. */
  lastSeq(): number {
    return this.seq;
  }

  /** The kept records, oldest first. */
  all(): readonly IpvsOpRecord[] {
    return this.since(0);
  }

  /** The kept records with seq > `seq`, oldest first. */
  since(seq: number): readonly IpvsOpRecord[] {
    const first = Math.max(seq + 1, this.seq - this.limit + 1, 1);
    const out: IpvsOpRecord[] = [];
    for (let n = first; n <= this.seq; n++) out.push(this.ring[(n - 1) % this.limit]!);
    return out;
  }

  /** Kept mutations that succeeded: what a real kernel would now reflect. */
  applied(): readonly IpvsOpRecord[] {
    return this.all().filter((r) => r.mutating && r.outcome === 'ok');
  }

  /** Calls by operation since the table was made, dropped records included. */
  counts(): Readonly<Partial<Record<IpvsOperation, number>>> {
    return { ...this.total };
  }
}
