// Leak accounting for tests: what the event loop holds (process.getActiveResourcesInfo()) and which
// processes descend from this one (read from /proc, zombies included, since an unreaped child is a leak).
import { readdirSync, readFileSync } from 'node:fs';

export interface HandleSnapshot {
  /** Resource type → count, e.g. { TCPSocketWrap: 2, Timeout: 1 }. */
  readonly resources: Readonly<Record<string, number>>;
  /** PIDs of every descendant process of this process. */
  readonly descendants: readonly number[];
}

interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
}

function procTable(): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited between readdir and read
    }
    // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.push({ pid: Number(name), state: rest[0] ?? '?', ppid: Number(rest[1]), pgid: Number(rest[2]) });
  }
  return out;
}

/** Every descendant of `root` (default: this process). */
export function descendants(root = process.pid): number[] {
  const table = procTable();
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const p of table) {
      if (p.ppid === parent) {
        found.push(p.pid);
        queue.push(p.pid);
      }
    }
  }
  return found.sort((a, b) => a - b);
}

/** Live processes whose process group is `pgid` (zombies excluded: they hold no resources but a pid). */
export function processGroupMembers(pgid: number): number[] {
  return procTable()
    .filter((p) => p.pgid === pgid && p.state !== 'Z')
    .map((p) => p.pid);
}

export function snapshotHandles(): HandleSnapshot {
  const resources: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
  return { resources, descendants: descendants() };
}

/**
 * What `after` holds beyond `before`, as readable lines; empty when nothing leaked. Decreases are not
 * leaks (the test runner's own transient timers and fs requests come and go).
 */
export function diffHandles(before: HandleSnapshot, after: HandleSnapshot): string[] {
  const lines: string[] = [];
  const types = new Set([...Object.keys(before.resources), ...Object.keys(after.resources)]);
  for (const type of [...types].sort()) {
    const a = before.resources[type] ?? 0;
    const b = after.resources[type] ?? 0;
    if (b > a) lines.push(`${type}: ${a} → ${b}`);
  }
  const extra = after.descendants.filter((pid) => !before.descendants.includes(pid));
  if (extra.length > 0) lines.push(`processes left behind: ${extra.join(', ')}`);
  return lines;
}

/**
 * Waits (by yielding to the event loop, up to `turns` times — no timers) until nothing exceeds
 * `before`, and returns what still does. Closing a socket completes on a later loop turn, so a check
 * that resolved may still have its handle counted for a turn or two.
 */
export async function leakedSince(before: HandleSnapshot, turns = 200): Promise<string[]> {
  let diff = diffHandles(before, snapshotHandles());
  for (let i = 0; i < turns && diff.length > 0; i += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    diff = diffHandles(before, snapshotHandles());
  }
  return diff;
}
