// A fake process table and clock for the CLI actions: real pid files in a temporary run directory, a fake
// /proc whose entries the fake daemons create and remove, signals recorded, time advanced only by sleep().

import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  promises as fs,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ActionDeps, StartRequest } from '../../../src/daemon/actions';
import { loadConfig } from '../../../src/config/load';
import { pidFilePath } from '../../../src/daemon/pidfile';
import type { DaemonOutcome } from '../../../src/daemon/process/daemonize';

export interface FakeSystem {
  readonly deps: ActionDeps;
  readonly runDir: string;
  readonly procRoot: string;
  readonly out: string[];
  readonly err: string[];
  readonly signals: Array<[number, string]>;
  readonly started: StartRequest[];
  readonly foreground: StartRequest[];
  readonly executed: Array<[string, string]>;
  /** Adds a live process with this cmdline. */
  spawnProcess(pid: number, cmdline: string): void;
  alive(pid: number): boolean;
  /** What the next startDaemon does. */
  nextStart: DaemonOutcome | 'ok';
  /** When false, TERM is ignored (a daemon stuck in its cleanup). */
  obeysTerm: boolean;
  now: number;
}

export function fakeSystem(overrides: Partial<ActionDeps> = {}): FakeSystem {
  const runDir = mkdtempSync(path.join(tmpdir(), 'ldd-run-'));
  const procRoot = mkdtempSync(path.join(tmpdir(), 'ldd-proc-'));
  let nextPid = 5000;
  const s: FakeSystem = {
    runDir,
    procRoot,
    out: [],
    err: [],
    signals: [],
    started: [],
    foreground: [],
    executed: [],
    nextStart: 'ok',
    obeysTerm: true,
    now: 0,
    spawnProcess(pid, cmdline) {
      mkdirSync(path.join(procRoot, String(pid)), { recursive: true });
      writeFileSync(path.join(procRoot, String(pid), 'cmdline'), cmdline);
    },
    alive(pid) {
      return existsSync(path.join(procRoot, String(pid)));
    },
    deps: undefined as unknown as ActionDeps,
  };
  const exit = (pid: number): void => {
    rmSync(path.join(procRoot, String(pid)), { recursive: true, force: true });
  };
  (s as { deps: ActionDeps }).deps = {
    runDir,
    procRoot,
    stdout: (t) => {
      s.out.push(t);
    },
    stderr: (t) => {
      s.err.push(t);
    },
    findConfig: (arg) => (arg !== undefined && existsSync(arg) ? arg : undefined),
    loadConfig: (f) => loadConfig(f),
    pidFs: {
      readFile: (f, e) => fs.readFile(f, e),
      writeFile: (f, d, o) => fs.writeFile(f, d, o),
      rename: (a, b) => fs.rename(a, b),
      unlink: (f) => fs.unlink(f),
    },
    kill: (pid, signal) => {
      if (!s.alive(pid)) throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      s.signals.push([pid, signal]);
      if (signal === 'SIGTERM' && s.obeysTerm) {
        // The daemon cleans up: removes its pid file, then exits.
        for (const f of readdirSync(runDir)) {
          if (readFileSync(path.join(runDir, f), 'utf8').trim() === String(pid)) rmSync(path.join(runDir, f));
        }
        exit(pid);
      }
    },
    sleep: async (ms) => {
      s.now += ms;
    },
    now: () => s.now,
    startDaemon: async (req) => {
      s.started.push(req);
      if (s.nextStart !== 'ok') return s.nextStart;
      const pid = nextPid++;
      s.spawnProcess(pid, `node\0ldirectord-daemon\0--config-file\0${req.configFile}\0`);
      writeFileSync(pidFilePath(runDir, req.configArg), `${pid}\n`);
      return { ok: true, pid };
    },
    runForeground: async (req) => {
      s.foreground.push(req);
      return 0;
    },
    execute: async (value, action) => {
      s.executed.push([value, action]);
      return 0;
    },
    stopTimeoutMs: 30_000,
    ...overrides,
  };
  return s;
}

/** Writes a config file into a fresh directory and returns its path. */
export function configFile(text: string, name = 'ldirectord.cf'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ldd-cfg-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

export const GOOD_CF = [
  'checkinterval=1',
  'logfile="/dev/null"',
  'virtual=127.0.0.1:8080',
  '\treal=127.0.0.2:8080 masq',
  '\tchecktype=on',
  '',
].join('\n');

export const BAD_CF = ['checkinterval=1', 'bogus=1', 'virtual=127.0.0.1', ''].join('\n');
