// Pid files, as ldirectord names and reads them (reference §1.2): `<runDir>/ldirectord.<CFGNAME>.pid`, where
// CFGNAME is the basename of the config argument *as typed* (`ldirectord` when none was given). A pid counts
// as running only if /proc/<pid>/cmdline contains `ldirectord`; anything else is a stale file.
// The filesystem is injected so the logic is tested without touching /var/run.

import * as path from 'node:path';

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

/** CFGNAME of reference §1.2: basename of the argument as typed, or `ldirectord` without one. */
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

/** A pid file's content: a decimal pid, optionally followed by a newline. Anything else is undefined. */
export function parsePid(text: string): number | undefined {
  const m = /^\s*(\d{1,10})\s*$/.exec(text);
  if (m === null || m[1] === undefined) return undefined;
  const pid = Number(m[1]);
  return pid > 0 ? pid : undefined;
}

/** True when /proc/<pid>/cmdline exists and mentions ldirectord (NUL separators count as spaces). */
export async function isLdirectord(fs: Pick<PidFs, 'readFile'>, procRoot: string, pid: number): Promise<boolean> {
  try {
    const cmdline = await fs.readFile(path.join(procRoot, String(pid), 'cmdline'), 'utf8');
    return cmdline.includes('ldirectord');
  } catch {
    return false;
  }
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
  const pid = parsePid(text);
  if (pid === undefined) return { state: 'stale', file };
  return (await isLdirectord(fs, procRoot, pid)) ? { state: 'running', pid, file } : { state: 'stale', pid, file };
}

/** Writes `<pid>\n` atomically: a temporary file in the same directory, then rename over the target. */
export async function writePidFile(fs: PidFs, file: string, pid: number): Promise<void> {
  const tmp = `${file}.${pid}.tmp`;
  try {
    await fs.writeFile(tmp, `${pid}\n`, { mode: 0o644, flag: 'w' });
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.unlink(tmp).catch(() => undefined);
    throw new PidFileError('PIDFILE_WRITE', `Can not write pid file ${file}: ${(e as Error).message}`, e);
  }
}

/**
 * Removes the pid file only if it still names `pid`: a daemon never deletes a file another instance wrote,
 * and a CLI action never deletes a live daemon's file (reference §5.2 #9).
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
