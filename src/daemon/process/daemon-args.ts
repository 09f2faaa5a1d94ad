// The internal command line of the detached daemon child (never typed by a user):
//   ldirectord-daemon --config-file F [--config-arg A] --run-dir D [--proc-root P] [--dry-run]
//                     [--self JSON]
// The leading word keeps `ldirectord` in /proc/<pid>/cmdline, which is how the pid file's owner is recognised.

import type { Command } from './self-command';

export const DAEMON_MARKER = 'ldirectord-daemon';

export interface DaemonArgs {
  readonly configFile: string;
  readonly configArg?: string;
  readonly runDir: string;
  readonly procRoot: string;
  readonly dryRun: boolean;
  readonly self?: Command;
}

export class DaemonArgsError extends Error {
  readonly code = 'DAEMON_ARGS';
}

export function formatDaemonArgs(a: DaemonArgs): string[] {
  const out = [DAEMON_MARKER, '--config-file', a.configFile];
  if (a.configArg !== undefined) out.push('--config-arg', a.configArg);
  out.push('--run-dir', a.runDir, '--proc-root', a.procRoot);
  if (a.dryRun) out.push('--dry-run');
  if (a.self !== undefined) out.push('--self', JSON.stringify(a.self));
  return out;
}

export function parseDaemonArgs(argv: readonly string[]): DaemonArgs {
  if (argv[0] !== DAEMON_MARKER) throw new DaemonArgsError(`expected ${DAEMON_MARKER} as the first argument`);
  const values = new Map<string, string>();
  let dryRun = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dry-run') {
      dryRun = true;
      continue;
    }
    const v = argv[i + 1];
    if (a === undefined || !a.startsWith('--') || v === undefined)
      throw new DaemonArgsError(`bad daemon argument: ${a}`);
    values.set(a.slice(2), v);
    i++;
  }
  const need = (k: string): string => {
    const v = values.get(k);
    if (v === undefined) throw new DaemonArgsError(`missing --${k}`);
    return v;
  };
  let self: Command | undefined;
  const selfJson = values.get('self');
  if (selfJson !== undefined) {
    const parsed = JSON.parse(selfJson) as { command?: unknown; args?: unknown };
    if (
      typeof parsed.command !== 'string' ||
      !Array.isArray(parsed.args) ||
      !parsed.args.every((x) => typeof x === 'string')
    ) {
      throw new DaemonArgsError('bad --self');
    }
    self = { command: parsed.command, args: parsed.args as string[] };
  }
  return {
    configFile: need('config-file'),
    configArg: values.get('config-arg'),
    runDir: need('run-dir'),
    procRoot: values.get('proc-root') ?? '/proc',
    dryRun,
    self,
  };
}
