// The three programs under comparison, each started in the foreground as its own process group, with the
// same signals: HUP reloads, TERM stops. Configs come from configs.ts; logs go to the work directory.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { keepalivedConf, ldirectordCf, type BenchServices } from './configs';

export type ProgramName = 'ours' | 'perl' | 'keepalived';
export const PROGRAMS: readonly ProgramName[] = ['ours', 'perl', 'keepalived'];
export const LABEL: Record<ProgramName, string> = {
  ours: 'ldirectord-ts',
  perl: 'ldirectord (Perl)',
  keepalived: 'keepalived',
};

export interface Running {
  readonly name: ProgramName;
  readonly pid: number;
  readonly logFile: string;
  /** Rewrites the config file and sends HUP. */
  reload(services: BenchServices): void;
  /** TERM, then KILL after graceMs; resolves when the process has exited. */
  stop(graceMs: number): Promise<void>;
  exited(): boolean;
}

export interface ProgramEnv {
  readonly repo: string;
  readonly node: string;
  readonly work: string;
}

/** `globals`: extra global lines for ours (CF_GLOBALS, comma-separated), e.g. addbeforecheck=yes. */
function configFor(
  name: ProgramName,
  env: ProgramEnv,
  services: BenchServices,
  globals: readonly string[] = [],
): { file: string; text: string } {
  if (name === 'keepalived') return { file: path.join(env.work, 'keepalived.conf'), text: keepalivedConf(services) };
  const log = path.join(env.work, `${name}-ldirectord.log`);
  const extra = name === 'ours' ? globals.map((g) => `${g}\n`).join('') : '';
  return { file: path.join(env.work, `${name}-ldirectord.cf`), text: extra + ldirectordCf(services, log) };
}

function argv(
  name: ProgramName,
  env: ProgramEnv,
  file: string,
  nodeFlags: readonly string[],
  oursBin: string,
): [string, string[]] {
  switch (name) {
    case 'ours':
      // BENCH_OURS_ARGS (e.g. "-d", for the pass timings in the debug log) goes before the config file.
      return [
        env.node,
        [
          ...nodeFlags,
          oursBin || path.join(env.repo, 'bin', 'ldirectord'),
          ...(process.env.BENCH_OURS_ARGS ?? '').split(' ').filter(Boolean),
          file,
          'start',
        ],
      ];
    case 'perl':
      return ['/usr/sbin/ldirectord', [file, 'start']];
    case 'keepalived':
      return [
        '/usr/sbin/keepalived',
        [
          '--dont-fork',
          '--log-console',
          '--check',
          '-f',
          file,
          '-p',
          path.join(env.work, 'keepalived.pid'),
          '-c',
          path.join(env.work, 'keepalived-checkers.pid'),
          '-r',
          path.join(env.work, 'keepalived-vrrp.pid'),
        ],
      ];
  }
}

/**
 * A probe's variant (cpu-probe.ts, cold-probe.ts) from its argument `label=NAME=VALUE[;NAME=VALUE]`: the label,
 * and the environment startProgram takes (NODE_FLAGS, OURS_BIN and CF_GLOBALS among it, see there).
 */
export function parseVariant(v: string): { label: string; env: Record<string, string> } {
  const [label = v, spec = ''] = v.split(/=(.*)/s);
  const env: Record<string, string> = {};
  for (const kv of spec.split(';').filter(Boolean)) {
    const [k, val = ''] = kv.split(/=(.*)/s);
    env[k!] = val;
  }
  return { label, env };
}

export function startProgram(
  name: ProgramName,
  env: ProgramEnv,
  services: BenchServices,
  tag: string,
  extraEnv: Readonly<Record<string, string>> = {},
): Running {
  // NODE_FLAGS (cpu-probe.ts) go on node's command line, for V8 flags that NODE_OPTIONS refuses; OURS_BIN
  // (cold-probe.ts) is the script node runs instead of bin/ldirectord, to compare two builds in one guest;
  // CF_GLOBALS adds global lines to ours' config.
  const { NODE_FLAGS: nodeFlags = '', OURS_BIN: oursBin = '', CF_GLOBALS: cfGlobals = '', ...childEnv } = extraEnv;
  const globals = cfGlobals.split(',').filter(Boolean);
  const { file, text } = configFor(name, env, services, globals);
  fs.writeFileSync(file, text);
  const logFile = path.join(env.work, `${name}-${tag}.out`);
  const out = fs.openSync(logFile, 'w');
  const [cmd, args] = argv(name, env, file, nodeFlags.split(' ').filter(Boolean), oursBin);
  const child: ChildProcess = spawn(cmd, args, {
    stdio: ['ignore', out, out],
    detached: true,
    cwd: env.work,
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: env.work, LANG: 'C', ...childEnv },
  });
  fs.closeSync(out);
  let gone = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      gone = true;
      resolve();
    }),
  );
  child.on('error', () => {
    gone = true;
  });
  const pid = child.pid ?? -1;
  return {
    name,
    pid,
    logFile,
    reload(next) {
      fs.writeFileSync(file, configFor(name, env, next, globals).text);
      process.kill(pid, 'SIGHUP');
    },
    async stop(graceMs) {
      if (gone) return;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs));
      if ((await Promise.race([exit, timer])) === 'late') {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
        await exit;
      }
      // Leftovers of the group (keepalived's checker child, a Perl ipvsadm) go with it.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* none */
      }
    },
    exited: () => gone,
  };
}
