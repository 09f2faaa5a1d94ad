// monitorfile= (docs/behaviour.md §4.8): one line appended per check result, in the format the Perl code actually
// writes (not the one its manual describes):
//   [Sat Nov 21 13:34:54 2026] [20109] negotiate http tcp 127.0.0.1 18080 1 gate /index.html Test Page [up] 200 OK
// i.e. `[<localtime>] [<pid>] <identity> [up|down] <message>` where the identity is the real server's
// check-identity with `:` runs collapsed to one space, and `%`, `|`, CR, LF in the message escaped as %XX.
// A write failure is logged (once per distinct error) and never stops the daemon (the original died).

import type { RealServer, VirtualService } from '../model/config';
import { ctime } from '../observe/log/ctime';
import type { CheckResultEvent, ServerEvents } from './alerts/events';
import type { Logger } from './process/collaborators';

export function escapeMonitorMessage(message: string): string {
  return message.replace(/[%|\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function checktypeWord(v: VirtualService): string {
  return v.checktype.kind === 'combined' ? String(v.checktype.n) : v.checktype.kind;
}

/**
 * The identity of docs/behaviour.md §3.4 (checktype, service or checkcommand, protocol, rip, rport, virtualhost,
 * checkport, weight, forwarding, request, receive), as the monitor line shows it: non-empty fields joined by
 * one space, backslashes removed.
 */
export function monitorIdentity(v: VirtualService, r: RealServer): string {
  const kind = v.checktype.kind;
  const what = kind === 'external' || kind === 'external-perl' ? v.checkcommand : v.service;
  const rip = r.family === 'inet6' ? `[${r.address}]` : r.address;
  const fields = [
    checktypeWord(v),
    what,
    v.protocol,
    rip,
    String(r.port),
    v.virtualhost ?? '',
    v.checkport === undefined ? '' : String(v.checkport),
    String(r.weight),
    r.forwarding,
    r.request ?? v.request,
    r.receive ?? v.receive,
  ];
  // The original joined with ':' and collapsed ':' runs to one space, which also mangled IPv6 addresses and
  // colons inside request/receive; empty fields are skipped here instead (same result for everything else).
  return fields
    .filter((f) => f !== '')
    .map((f) => f.replace(/\\/g, ''))
    .join(' ');
}

/** Which results get a line: not checktype on/external-perl, not a failed ping (as the original). */
export function recordsResult(v: VirtualService, ok: boolean): boolean {
  const kind = v.checktype.kind;
  if (kind === 'on' || kind === 'external-perl') return false;
  if (kind === 'ping' && !ok) return false;
  return v.monitorfile !== undefined && v.monitorfile !== '';
}

export function formatMonitorLine(at: number, pid: number, v: VirtualService, e: CheckResultEvent): string {
  return (
    `[${ctime(at)}] [${pid}] ${monitorIdentity(v, e.real)} [${e.ok ? 'up' : 'down'}] ` +
    `${escapeMonitorMessage(e.reason)}\n`
  );
}

export interface MonitorFileDeps {
  appendFile(file: string, data: string): Promise<void>;
  now(): number;
  readonly pid: number;
  readonly logger: Logger;
}

export interface MonitorFileWriter {
  record(e: CheckResultEvent): Promise<void>;
  /** Subscribes to the director's check results; returns the unsubscribe function. */
  attach(events: ServerEvents): () => void;
}

export function createMonitorFileWriter(deps: MonitorFileDeps): MonitorFileWriter {
  const failing = new Map<string, string>();
  // Appends to one file are chained so lines keep their order.
  const tails = new Map<string, Promise<void>>();

  const append = (file: string, line: string): Promise<void> => {
    const next = (tails.get(file) ?? Promise.resolve()).then(async () => {
      try {
        await deps.appendFile(file, line);
        if (failing.delete(file)) deps.logger.info(`monitorfile ${file} is writable again`);
      } catch (err) {
        const msg = (err as Error).message;
        if (failing.get(file) !== msg) deps.logger.error(`Error writing to monitorfile ${file}: ${msg}`);
        failing.set(file, msg);
      }
    });
    tails.set(file, next);
    return next;
  };

  const record = async (e: CheckResultEvent): Promise<void> => {
    // The clock is read only when a line is written: most results go to no monitor file.
    let at: number | undefined;
    const writes: Promise<void>[] = [];
    for (const v of e.virtuals) {
      if (!recordsResult(v, e.ok) || v.monitorfile === undefined) continue;
      at ??= deps.now();
      writes.push(append(v.monitorfile, formatMonitorLine(at, deps.pid, v, e)));
    }
    if (writes.length > 0) await Promise.all(writes);
  };

  return {
    record,
    attach: (events) =>
      events.onCheckResult((e) => {
        void record(e);
      }),
  };
}
