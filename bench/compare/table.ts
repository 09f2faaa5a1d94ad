// The IPVS table as the kernel shows it to everyone — /proc/net/ip_vs, read by the poller that times every
// change (no process to fork, so the witness barely weighs on the guest's one CPU), and `ipvsadm -Ln`, the
// cross-check at the end of each phase that the two views agree — plus a poller that keeps every distinct
// snapshot with its time, and the diff between two snapshots as a list of changes. Both views are the
// kernel's, independent of the three programs. Polling cannot see two changes that cancel out between two
// polls; docs/benchmarks.md says so.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface Service {
  readonly scheduler: string;
  /** "ip:port" → weight */
  readonly dests: ReadonlyMap<string, number>;
}
/** "TCP ip:port" → service */
export type Table = ReadonlyMap<string, Service>;

/** Both views list `PROTO endpoint scheduler` lines, each followed by `  -> endpoint forward weight …` lines
 * (the header line's "Weight" is not a number, so it never matches); only the endpoints are spelled apart. */
function parseListing(text: string, endpoint: (raw: string) => string): Table {
  const table = new Map<string, { scheduler: string; dests: Map<string, number> }>();
  let current: { scheduler: string; dests: Map<string, number> } | undefined;
  for (const line of text.split('\n')) {
    const svc = /^(TCP|UDP|FWM)\s+(\S+)\s+(\S+)/.exec(line);
    if (svc) {
      current = { scheduler: svc[3] ?? '', dests: new Map() };
      table.set(`${svc[1]} ${endpoint(svc[2] ?? '')}`, current);
      continue;
    }
    const dest = /^\s+->\s+(\S+)\s+(\S+)\s+(\d+)/.exec(line);
    if (dest && current) current.dests.set(endpoint(dest[1] ?? ''), Number(dest[3]));
  }
  return table;
}

export function parseIpvsadm(text: string): Table {
  return parseListing(text, (raw) => raw);
}

export function readTable(): Promise<Table> {
  return new Promise((resolve, reject) => {
    execFile('ipvsadm', ['-Ln'], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(err) : resolve(parseIpvsadm(stdout)),
    );
  });
}

/** "0A020001:0050" → "10.2.0.1:80"; other forms (IPv6, FWM) are kept as the kernel prints them. */
function procEndpoint(hex: string): string {
  const m = /^([0-9A-F]{8}):([0-9A-F]{4})$/.exec(hex);
  if (!m) return hex;
  const a = parseInt(m[1] ?? '0', 16);
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}:${parseInt(m[2] ?? '0', 16)}`;
}

/** /proc/net/ip_vs → the same Table as parseIpvsadm gives for IPv4 services. */
export function parseProcIpVs(text: string): Table {
  return parseListing(text, procEndpoint);
}

export async function readProcTable(): Promise<Table> {
  return parseProcIpVs(await readFile('/proc/net/ip_vs', 'latin1'));
}

/** Where two snapshots differ, as text (empty when they agree). */
export function disagreement(a: Table, b: Table): string[] {
  return diff(a, b).map((c) => JSON.stringify(c));
}

export type Change =
  | { kind: 'service-add' | 'service-del'; service: string }
  | { kind: 'service-edit'; service: string; from: string; to: string }
  | { kind: 'dest-add' | 'dest-del'; service: string; dest: string; weight: number }
  | { kind: 'dest-weight'; service: string; dest: string; from: number; to: number };

export function diff(a: Table, b: Table): Change[] {
  const out: Change[] = [];
  for (const [key, sb] of b) {
    const sa = a.get(key);
    if (!sa) {
      out.push({ kind: 'service-add', service: key });
      for (const [d, w] of sb.dests) out.push({ kind: 'dest-add', service: key, dest: d, weight: w });
      continue;
    }
    if (sa.scheduler !== sb.scheduler)
      out.push({ kind: 'service-edit', service: key, from: sa.scheduler, to: sb.scheduler });
    for (const [d, w] of sb.dests) {
      const wa = sa.dests.get(d);
      if (wa === undefined) out.push({ kind: 'dest-add', service: key, dest: d, weight: w });
      else if (wa !== w) out.push({ kind: 'dest-weight', service: key, dest: d, from: wa, to: w });
    }
    for (const [d, w] of sa.dests)
      if (!sb.dests.has(d)) out.push({ kind: 'dest-del', service: key, dest: d, weight: w });
  }
  for (const key of a.keys()) if (!b.has(key)) out.push({ kind: 'service-del', service: key });
  return out;
}

export interface TimedChange {
  readonly at: number;
  readonly change: Change;
}

/** Polls the table back to back (at most every intervalMs) until stopped; records every change with its time. */
export class Poller {
  readonly changes: TimedChange[] = [];
  latest: Table = new Map();
  polls = 0;
  /** Σ duration of the completed polls (ms). */
  pollMs = 0;
  private running = true;
  private readonly done: Promise<void>;
  private waiters: Array<() => void> = [];

  constructor(
    initial: Table,
    private readonly intervalMs: number,
  ) {
    this.latest = initial;
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      let t: Table;
      try {
        t = await readProcTable();
      } catch {
        continue;
      }
      // A change is dated at the end of the poll that first saw it (never before it happened).
      const at = Date.now();
      for (const change of diff(this.latest, t)) this.changes.push({ at, change });
      this.latest = t;
      this.polls++;
      this.pollMs += Date.now() - started;
      for (const w of this.waiters.splice(0)) w();
      const wait = this.intervalMs - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** Resolves after the next completed poll. */
  next(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }

  /** Waits until pred(latest table) holds or deadline (ms since epoch); true when it held. */
  async until(pred: (t: Table) => boolean, deadline: number): Promise<boolean> {
    while (Date.now() < deadline) {
      if (pred(this.latest)) return true;
      await Promise.race([this.next(), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
    }
    return pred(this.latest);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}
