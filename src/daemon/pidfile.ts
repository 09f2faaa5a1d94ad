// Pid files, as ldirectord names them (docs/compat.md): `<runDir>/ldirectord.<CFGNAME>.pid`, where CFGNAME is
// the basename of the config argument *as typed* (`ldirectord` when none was given). The first line is the pid,
// as the Perl ldirectord writes it (systemd's PIDFile= and `head -n1` read only that); the daemon adds a second
// line `starttime=N`, its start time in clock ticks since boot (field 22 of /proc/<pid>/stat), which no other
// process can share with it: a pid file counts as running only if that process still has that start time.
// A file with the pid alone (the Perl ldirectord's) falls back to the command line: an argument that is
// exactly our daemon's marker or a program named `ldirectord` — not any text containing "ldirectord", which a
// `tail -f /var/log/ldirectord.log` has. The filesystem is injected so the logic is tested without /var/run.

import * as path from 'node:path';
import { DAEMON_MARKER } from './process/daemon-args';

export const DEFAULT_RUN_DIR = '/var/run';

/** The file operations the pid-file logic needs (node:fs/promises satisfies it). */
export interface PidFs {
  readFile(file: string, encoding: 'utf8'): Promise<string>;
  writeFile(file: string, data: string, options: { mode: number; flag: string }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
}

export type PidState =
  | { readonly state: 'running'; readonly pid: number; readonly file: string }
  | { readonly state: 'stopped'; readonly file: string }
  /** The file exists but names no live ldirectord (or holds garbage: pid is undefined then). */
  | { readonly state: 'stale'; readonly pid?: number; readonly file: string };

export class PidFileError extends Error {
  readonly code: 'PIDFILE_WRITE' | 'PIDFILE_BUSY';
  constructor(code: PidFileError['code'], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PidFileError';
    this.code = code;
  }
}

/** CFGNAME of docs/behaviour.md §1.2: basename of the argument as typed, or `ldirectord` without one. */
export function configName(configArg: string | undefined): string {
  if (configArg === undefined || configArg === '') return 'ldirectord';
  return path.basename(configArg);
}

export function pidFilePath(runDir: string, configArg: string | undefined): string {
  return path.join(runDir, `ldirectord.${configName(configArg)}.pid`);
}

/** The operator overrides file (observe/actions/override-store.ts), beside the pid file, sharing its lifetime. */
export function overridesFilePath(runDir: string, configArg: string | undefined): string {
  return path.join(runDir, `ldirectord.${configName(configArg)}.overrides.json`);
}

export interface PidFileContent {
  readonly pid: number;
  /** Absent in a file written by the Perl ldirectord. */
  readonly startTime?: string;
}

/** A pid file's content: a decimal pid line, optionally a `starttime=N` line. Anything else is undefined. */
export function parsePidFile(text: string): PidFileContent | undefined {
  const m = /^\s*(\d{1,10})[ \t]*(?:\r?\n[ \t]*starttime=(\d{1,20}))?\s*$/.exec(text);
  if (m === null || m[1] === undefined) return undefined;
  const pid = Number(m[1]);
  if (!(pid > 0)) return undefined;
  return m[2] === undefined ? { pid } : { pid, startTime: m[2] };
}

/** The pid of a pid file's content, or undefined. */
export function parsePid(text: string): number | undefined {
  return parsePidFile(text)?.pid;
}

/** Field 22 (starttime) of /proc/<pid>/stat; undefined when the process does not exist. */
export async function processStartTime(
  fs: Pick<PidFs, 'readFile'>,
  procRoot: string,
  pid: number,
): Promise<string | undefined> {
  try {
    const stat = await fs.readFile(path.join(procRoot, String(pid), 'stat'), 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces and parentheses: count after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = fields[22 - 3];
    return v !== undefined && /^\d+$/.test(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** True when /proc/<pid>/cmdline has an argument that is our daemon's marker or a program named ldirectord. */
export async function isLdirectord(fs: Pick<PidFs, 'readFile'>, procRoot: string, pid: number): Promise<boolean> {
  try {
    const cmdline = await fs.readFile(path.join(procRoot, String(pid), 'cmdline'), 'utf8');
    return cmdline.split('\0').some((a) => a === DAEMON_MARKER || path.basename(a) === 'ldirectord');
  } catch {
    return false;
  }
}

/** Whether the process a pid file names is the one that wrote it (see the top of this file). */
async function isOwner(fs: Pick<PidFs, 'readFile'>, procRoot: string, content: PidFileContent): Promise<boolean> {
  if (content.startTime === undefined) return isLdirectord(fs, procRoot, content.pid);
  return (await processStartTime(fs, procRoot, content.pid)) === content.startTime;
}

export async function readPidState(fs: Pick<PidFs, 'readFile'>, file: string, procRoot = '/proc'): Promise<PidState> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'stopped', file };
    // Unreadable (permissions, a directory): we cannot tell; report it as stale so nobody trusts it.
    return { state: 'stale', file };
  }
  const content = parsePidFile(text);
  if (content === undefined) return { state: 'stale', file };
  const { pid } = content;
  return (await isOwner(fs, procRoot, content)) ? { state: 'running', pid, file } : { state: 'stale', pid, file };
}

/** Writes `<pid>\n[starttime=N\n]` atomically: a temporary file in the same directory, then rename. */
export async function writePidFile(fs: PidFs, file: string, pid: number, startTime?: string): Promise<void> {
  const tmp = `${file}.${pid}.tmp`;
  try {
    await fs.writeFile(tmp, `${pid}\n${startTime !== undefined ? `starttime=${startTime}\n` : ''}`, {
      mode: 0o644,
      flag: 'w',
    });
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.unlink(tmp).catch(() => undefined);
    throw new PidFileError('PIDFILE_WRITE', `Can not write pid file ${file}: ${(e as Error).message}`, e);
  }
}

/**
 * Removes the pid file only if it still names `pid`: a daemon never deletes a file another instance wrote,
 * and a CLI action never deletes a live daemon's file (docs/behaviour.md §5.2 #9).
 */
export async function removePidFile(fs: PidFs, file: string, pid: number): Promise<boolean> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return false;
  }
  if (parsePid(text) !== pid) return false;
  try {
    await fs.unlink(file);
    return true;
  } catch {
    return false;
  }
}

/** Removes a stale file (one that names no live ldirectord). Never touches a running daemon's file. */
export async function removeStalePidFile(fs: PidFs, file: string, procRoot = '/proc'): Promise<void> {
  const st = await readPidState(fs, file, procRoot);
  if (st.state === 'stale') await fs.unlink(file).catch(() => undefined);
}
