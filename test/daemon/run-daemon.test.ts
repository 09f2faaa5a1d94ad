// runDaemon in-process: a fake signal source, a scripted director with events, a fake clock, real config
// files. Checks the order of the lifecycle, the daemon state seen by the director and the alerts, autoreload,
// execute= sub-instances, and the failure paths.

import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, promises as fs, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/load';
import type { ServerEventSink } from '../../src/daemon/alerts/events';
import type { DirectorControl, Readiness } from '../../src/daemon/process/collaborators';
import { RELOAD_GRACE_MS } from '../../src/daemon/process/reload-queue';
import {
  CLEANUP_STEP_MS,
  runDaemon,
  type DaemonRunDeps,
  type DaemonRunOptions,
} from '../../src/daemon/process/run-daemon';
import type { Config, DaemonState } from '../../src/model/config';
import { createFakeClock, flushMicrotasksThenImmediate, WALL_CLOCK_START, type FakeClock } from '../support/fake-clock';
import { memoryLogger } from './support/memory-logger';
import { untilTrue } from '../support/until';

interface Harness {
  journal: string[];
  signals: EventEmitter;
  clock: FakeClock;
  logger: ReturnType<typeof memoryLogger>;
  readiness: string[];
  mails: string[];
  states: () => DaemonState;
  events: { hub: ServerEventSink | undefined };
  deps: DaemonRunDeps;
  opts: DaemonRunOptions;
  cf: string;
  runDir: string;
  ready: Promise<void>;
  startGate?: Promise<void>;
}

type HarnessOptions = {
  mode?: 'daemon' | 'foreground';
  startGate?: Promise<void>;
  failStart?: boolean;
  onStart?: (sink: ServerEventSink, config: Config) => void;
};

function harness(cfText: string, o: HarnessOptions = {}): Harness {
  const dir = mkdtempSync(path.join(tmpdir(), 'ldd-rd-'));
  const cf = path.join(dir, 'lvs.cf');
  writeFileSync(cf, cfText);
  const journal: string[] = [];
  const signals = new EventEmitter();
  const clock = createFakeClock({ start: WALL_CLOCK_START });
  const logger = memoryLogger();
  const readiness: string[] = [];
  const mails: string[] = [];
  const events: { hub: ServerEventSink | undefined } = { hub: undefined };
  let stateFn: () => DaemonState = () => 'starting';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => {
    markReady = r;
  });
  const r: Readiness = {
    ready: (pid) => {
      readiness.push(`ready ${pid}`);
      markReady();
    },
    failed: (code, msg) => {
      readiness.push(`failed ${code} ${msg}`);
      markReady();
    },
  };
  const deps: DaemonRunDeps = {
    pid: process.pid,
    config: { load: (f) => loadConfig(f) },
    startDirector: async ({ state, config, events: sink }) => {
      stateFn = state;
      events.hub = sink;
      journal.push(`director start state=${state()} virtuals=${config.virtuals.length}`);
      o.onStart?.(sink, config);
      if (o.startGate !== undefined) await o.startGate;
      if (o.failStart === true) throw Object.assign(new Error('no IPVS'), { code: 'IPVS_UNAVAILABLE' });
      const d: DirectorControl = {
        reload: async (load) => {
          if (!load.ok) {
            journal.push(
              `director reload rejected state=${state()} errors=${load.errors.map((e) => e.code).join(',')}`,
            );
            return false;
          }
          journal.push(`director reload state=${state()} checkinterval=${load.config.global.checkinterval}`);
          return true;
        },
        stop: async () => {
          journal.push(`director stop state=${state()}`);
        },
      };
      return d;
    },
    createLogger: () => logger,
    readiness: r,
    signals,
    clock,
    pidFs: {
      readFile: (f, e) => fs.readFile(f, e),
      writeFile: (f, d2, op) => fs.writeFile(f, d2, op),
      rename: (a, b) => fs.rename(a, b),
      unlink: (f) => fs.unlink(f),
    },
    watchFs: { stat: (f) => fs.stat(f), readFile: (f) => fs.readFile(f) },
    appendFile: (f, d2) => fs.appendFile(f, d2),
    runCallback: async (cb, f) => {
      journal.push(`callback ${cb} ${f}`);
    },
    alertTransport: {
      smtp: async (host, m) => {
        mails.push(`${host} ${m.mail.subject} | ${/Daemon-Status: (\w+)/.exec(m.mail.body)?.[1]}`);
      },
      sendmail: async () => undefined,
    },
    hostname: 'lb1',
    user: 'root',
    execute: {
      run: async (value, action) => {
        journal.push(`execute ${value} ${action}`);
        return 0;
      },
    },
  };
  const opts: DaemonRunOptions = {
    configArg: cf,
    configFile: cf,
    mode: o.mode ?? 'foreground',
    dryRun: true,
    runDir: dir,
    procRoot: '/proc',
  };
  return {
    journal,
    signals,
    clock,
    logger,
    readiness,
    mails,
    states: () => stateFn(),
    events,
    deps,
    opts,
    cf,
    runDir: dir,
    ready,
  };
}

/** Waits until `cond` holds (real I/O under way in the daemon). */
const until = (what: string, cond: () => boolean): Promise<void> => untilTrue(what, cond, { intervalMs: 5 });

/** SIGTERM; once the stop has armed its timer (`what`), the fake clock runs `ms` past it. */
async function terminatePast(h: Harness, what: string, ms: number): Promise<void> {
  const timers = h.clock.pending();
  h.signals.emit('SIGTERM');
  await until(what, () => h.clock.pending() > timers);
  h.clock.advance(ms);
}

/** h.deps whose config loads never settle where `stuck(n)` holds (n counts from 1, the start's load), as an open()
 * blocked on a FIFO would; `loads()` counts the loads begun. */
function stuckLoads(h: Harness, stuck: (n: number) => boolean): { deps: DaemonRunDeps; loads: () => number } {
  let loads = 0;
  const load = (f: string): ReturnType<typeof loadConfig> =>
    stuck(++loads) ? new Promise(() => undefined) : loadConfig(f);
  return { deps: { ...h.deps, config: { load } }, loads: () => loads };
}

/** The journal of a run that started the director and stopped it, with `between` in the middle. */
const startedThenStopped = (...between: string[]): string[] => [
  'director start state=starting virtuals=1',
  ...between,
  'director stop state=stopping',
];

const CF = (extra = '') =>
  `${extra}checkinterval=1\nlogfile="/dev/null"\nemailalert=ops@example.org\nsmtp=127.0.0.1\nvirtual=127.0.0.1:8080\n\treal=127.0.0.2:8080 masq\n\tchecktype=on\n`;

describe('runDaemon', () => {
  it('foreground: starts, reports ready in state running, stops on TERM in order, no pid file', async () => {
    const h = harness(CF('execute=second.cf\n'));
    const done = runDaemon(h.opts, h.deps);
    await h.ready;
    expect(h.readiness).toEqual([`ready ${process.pid}`]);
    expect(h.states()).toBe('running');
    expect(readdirSync(h.runDir)).toEqual(['lvs.cf']);
    h.signals.emit('SIGTERM');
    expect(await done).toBe(0);
    expect(h.journal).toEqual(startedThenStopped('execute second.cf start', 'execute second.cf stop'));
    expect(h.logger.lines[0]).toBe(`info: Starting Linux Director v1.186-ha with pid: ${process.pid}`);
    expect(h.logger.lines.at(-1)).toBe('info: Linux Director Daemon terminated on signal: TERM');
    expect(h.signals.listenerCount('SIGTERM')).toBe(0);
    expect(h.signals.listenerCount('SIGHUP')).toBe(0);
  });

  it('starts from the config the CLI preloaded without loading the file again; a reload loads it', async () => {
    const h = harness(CF());
    const preloaded = await loadConfig(h.cf);
    // Different on disk from what was preloaded: the start must use the preloaded one.
    writeFileSync(h.cf, CF().replace('checkinterval=1', 'checkinterval=7'));
    const counted = stuckLoads(h, () => false);
    const done = runDaemon({ ...h.opts, preloaded }, counted.deps);
    await h.ready;
    expect(counted.loads()).toBe(0);
    expect(h.journal).toEqual(['director start state=starting virtuals=1']);
    h.signals.emit('SIGHUP');
    await until('the reload', () => h.journal.length === 2);
    expect(counted.loads()).toBe(1);
    expect(h.journal[1]).toBe('director reload state=reloading checkinterval=7');
    h.signals.emit('SIGTERM');
    expect(await done).toBe(0);
  });

  it('logs the configs that cannot bring a server up (W_NO_PORT) at start and at a reload, as -t prints them', async () => {
    const noPort = `checkinterval=1\nlogfile="/dev/null"\nvirtual=127.0.0.1:8080\n\treal=127.0.0.3 masq\n\tchecktype=connect\n`;
    const h = harness(noPort);
    const done = runDaemon(h.opts, h.deps);
    await h.ready;
    const noPortLines = (): string[] => h.logger.lines.filter((l) => l.includes('W_NO_PORT'));
    expect(noPortLines()).toEqual([
      expect.stringMatching(/^warn: .*lvs\.cf:4:.*W_NO_PORT.*127\.0\.0\.3:0.*masq needs/),
    ]);
    writeFileSync(h.cf, noPort.replace('checkinterval=1', 'checkinterval=2'));
    h.signals.emit('SIGHUP');
    await until('the reload applied', () => h.journal.some((l) => l.startsWith('director reload state=reloading')));
    expect(noPortLines()).toHaveLength(2);
    h.signals.emit('SIGTERM');
    expect(await done).toBe(0);
  });

  it('daemon mode writes the pid file while running and removes it at the end', async () => {
    const h = harness(CF(), { mode: 'daemon' });
    const done = runDaemon(h.opts, h.deps);
    await h.ready;
    const pidFile = path.join(h.runDir, 'ldirectord.lvs.cf.pid');
    expect(existsSync(pidFile)).toBe(true);
    h.signals.emit('SIGINT');
    expect(await done).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('alerts follow director events and carry the daemon state, including the stop purge', async () => {
    const h = harness(CF());
    const done = runDaemon(h.opts, h.deps);
    await h.ready;
    const loaded = await loadConfig(h.cf);
    if (!loaded.ok) throw new Error('config');
    const [v] = loaded.config.virtuals;
    h.events.hub?.emitServerChange({
      kind: 'deleted',
      virtual: v!,
      server: { address: '127.0.0.2', port: 8080 },
      fallback: false,
      message: 'Deleted real server: 127.0.0.2:8080 (127.0.0.1:8080)',
    });
    await flushMicrotasksThenImmediate();
    h.signals.emit('SIGTERM');
    await done;
    expect(h.mails).toEqual(['127.0.0.1 Deleted real server: 127.0.0.2:8080 (127.0.0.1:8080) | running']);
  });

  it("changes made by the director's first pass are mailed with Daemon-Status starting", async () => {
    const h = harness(CF(), {
      onStart: (sink, config) => {
        const v = config.virtuals[0]!;
        sink.emitServerChange({
          kind: 'added',
          virtual: v,
          server: { address: '127.0.0.2', port: 8080 },
          fallback: false,
          message: 'Added real server: 127.0.0.2:8080 (127.0.0.1:8080) (Weight set to 1)',
        });
      },
    });
    const done = runDaemon(h.opts, h.deps);
    await h.ready;
    h.signals.emit('SIGTERM');
    await done;
    expect(h.mails).toEqual([
      '127.0.0.1 Added real server: 127.0.0.2:8080 (127.0.0.1:8080) (Weight set to 1) | starting',
    ]);
  });

  it('HUP reloads in state reloading; a broken config is logged and the old one kept', async () => {
    const h = harness(CF());
    const done = runDaemon(h.opts, h.deps);
    await h.ready;
    writeFileSync(h.cf, CF().replace('checkinterval=1', 'checkinterval=9'));
    h.signals.emit('SIGHUP');
    await until('the first reload', () => h.journal.length === 2);
    writeFileSync(h.cf, 'bogus=1\n');
    h.signals.emit('SIGHUP');
    h.signals.emit('SIGTERM');
    expect(await done).toBe(0);
    // The rejected load goes to the director (which logs and counts it: reload-daemon.test.ts); the daemon
    // keeps its config, and the stop still waits for that reload.
    expect(h.journal).toEqual(
      startedThenStopped(
        'director reload state=reloading checkinterval=9',
        'director reload rejected state=reloading errors=E_UNKNOWN_DIRECTIVE',
      ),
    );
  });

  it('autoreload=yes reloads when the file content changes (fake clock) and runs the callback', async () => {
    const cb = path.join(tmpdir(), 'cb.sh');
    const h = harness(CF(`autoreload=yes\ncallback="${cb}"\n`));
    const done = runDaemon(h.opts, h.deps);
    await h.ready;
    // The watcher's first observation is done when its timer is armed (next to the alerter's reminder timer).
    await until('the first observation', () => h.clock.pending() === 2);
    writeFileSync(h.cf, CF(`autoreload=yes\ncallback="${cb}"\n`).replace('checkinterval=1', 'checkinterval=4'));
    // mtime resolution: make sure the file's mtime moved.
    const later = new Date(Date.now() + 5000);
    await fs.utimes(h.cf, later, later);
    h.clock.advance(1000);
    await until('the autoreload', () => h.journal.length === 3);
    h.signals.emit('SIGTERM');
    await done;
    expect(h.journal).toEqual(
      startedThenStopped(`callback ${cb} ${h.cf}`, 'director reload state=reloading checkinterval=4'),
    );
    expect(h.logger.lines).toContain(
      `info: Configuration file '${h.cf}' has changed on disk - reread new configuration`,
    );
  });

  it('execute= instances on reload: removed ones stopped, kept ones reloaded, new ones started', async () => {
    const h = harness(CF('execute=a.cf\nexecute=b.cf\n'));
    const done = runDaemon(h.opts, h.deps);
    await h.ready;
    writeFileSync(h.cf, CF('execute=b.cf\nexecute=c.cf\n'));
    h.signals.emit('SIGHUP');
    h.signals.emit('SIGTERM');
    await done;
    expect(h.journal.filter((l) => l.startsWith('execute'))).toEqual([
      'execute a.cf start',
      'execute b.cf start',
      'execute a.cf stop',
      'execute b.cf reload',
      'execute c.cf start',
      'execute b.cf stop',
      'execute c.cf stop',
    ]);
  });

  it('config errors at start → 2, every error reported, nothing started', async () => {
    const h = harness('bogus=1\nvirtual=127.0.0.1\n', { mode: 'daemon' });
    expect(await runDaemon(h.opts, h.deps)).toBe(2);
    expect(h.readiness).toHaveLength(1);
    expect(h.readiness[0]).toMatch(
      new RegExp(
        `^failed 2 ${h.cf.replace(/\./g, '\\.')}:1:1: E_UNKNOWN_DIRECTIVE .*\\n${h.cf.replace(/\./g, '\\.')}:2:9: E_MISSING_PORT `,
      ),
    );
    expect(h.journal).toEqual([]);
    expect(readdirSync(h.runDir)).toEqual(['lvs.cf']);
  });

  it('a director that cannot start → 1 with its reason and code; pid file removed', async () => {
    const h = harness(CF(), { mode: 'daemon', failStart: true });
    expect(await runDaemon(h.opts, h.deps)).toBe(1);
    expect(h.readiness).toEqual(['failed 1 cannot start the director: no IPVS (IPVS_UNAVAILABLE)']);
    expect(readdirSync(h.runDir)).toEqual(['lvs.cf']);
  });

  it('TERM while the director is starting: it is stopped again and start fails', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const h = harness(CF(), { mode: 'daemon', startGate: gate });
    const done = runDaemon(h.opts, h.deps);
    await until('the director start', () => h.journal.length === 1);
    h.signals.emit('SIGTERM');
    open();
    expect(await done).toBe(1);
    expect(h.readiness).toEqual(['failed 1 stopped by signal TERM while starting']);
    expect(h.journal).toEqual(startedThenStopped());
    expect(readdirSync(h.runDir)).toEqual(['lvs.cf']);
  });

  it('a live daemon owning the pid file → 1, and its file is left alone', async () => {
    const h = harness(CF(), { mode: 'daemon' });
    const pidFile = path.join(h.runDir, 'ldirectord.lvs.cf.pid');
    const other = { ...h.deps, pid: 1 };
    // The test runner itself is the "other" live daemon: its cmdline mentions no ldirectord, so use a fake proc.
    const proc = mkdtempSync(path.join(tmpdir(), 'ldd-proc-'));
    await fs.mkdir(path.join(proc, '4242'));
    writeFileSync(path.join(proc, '4242', 'cmdline'), 'node\0ldirectord-daemon\0');
    writeFileSync(pidFile, '4242\n');
    expect(await runDaemon({ ...h.opts, procRoot: proc }, other)).toBe(1);
    expect(h.readiness).toEqual([`failed 1 ldirectord for ${h.cf} is already running with pid: 4242`]);
    expect(existsSync(pidFile)).toBe(true);
  });
});

describe('runDaemon, reload while starting', () => {
  it('a HUP during the director start is applied once the start is complete', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const h = harness(CF(), { startGate: gate });
    const done = runDaemon(h.opts, h.deps);
    await until('the director start', () => h.journal.length === 1);
    writeFileSync(h.cf, CF().replace('checkinterval=1', 'checkinterval=5'));
    h.signals.emit('SIGHUP');
    open();
    await until('the deferred reload', () => h.journal.length === 2);
    h.signals.emit('SIGTERM');
    expect(await done).toBe(0);
    expect(h.journal).toEqual(startedThenStopped('director reload state=reloading checkinterval=5'));
  });
});

describe('runDaemon, a wedged reload', () => {
  it('a reload whose load never finishes is abandoned at stop after the grace; the director is still stopped', async () => {
    const h = harness(CF());
    // The first load (the start) is real; every later one never settles.
    const { deps, loads } = stuckLoads(h, (n) => n > 1);
    const done = runDaemon(h.opts, deps);
    await h.ready;
    h.signals.emit('SIGHUP');
    await until('the reload to start loading', () => loads() === 2);
    await terminatePast(h, 'the stop to arm its grace timer', RELOAD_GRACE_MS);
    expect(await done).toBe(0);
    expect(h.journal).toEqual(startedThenStopped());
    expect(h.logger.lines).toContain(
      `warn: Stopping: a reload of ${h.cf} still loading after ${RELOAD_GRACE_MS / 1000} s is abandoned`,
    );
    expect(h.logger.lines.at(-1)).toBe('info: Linux Director Daemon terminated on signal: TERM');
  });

  it('a newer reload supersedes one still loading: the newer config is applied', async () => {
    const h = harness(CF());
    const { deps, loads } = stuckLoads(h, (n) => n === 2);
    const done = runDaemon(h.opts, deps);
    await h.ready;
    h.signals.emit('SIGHUP');
    await until('the first reload to start loading', () => loads() === 2);
    writeFileSync(h.cf, CF().replace('checkinterval=1', 'checkinterval=6'));
    h.signals.emit('SIGHUP');
    await until('the second reload', () => h.journal.length === 2);
    await terminatePast(h, 'the stop to arm its grace timer', RELOAD_GRACE_MS);
    expect(await done).toBe(0);
    expect(h.journal).toEqual(startedThenStopped('director reload state=reloading checkinterval=6'));
  });
});

describe('runDaemon, a stop that always finishes', () => {
  it('an execute= instance whose stop never returns is left behind after CLEANUP_STEP_MS; the director still stops', async () => {
    const h = harness(CF('execute=second.cf\n'));
    const deps: DaemonRunDeps = {
      ...h.deps,
      execute: {
        run: async (value, action) =>
          action === 'stop' ? new Promise<number>(() => undefined) : (h.journal.push(`execute ${value} ${action}`), 0),
      },
    };
    const done = runDaemon(h.opts, deps);
    await h.ready;
    await terminatePast(h, 'the stop to arm the step bound', CLEANUP_STEP_MS);
    expect(await done).toBe(0);
    expect(h.journal).toEqual(startedThenStopped('execute second.cf start'));
    expect(h.logger.lines).toContain(
      `warn: Stopping: the execute= stops did not finish within ${CLEANUP_STEP_MS / 1000} s; going on without waiting`,
    );
  });
});
