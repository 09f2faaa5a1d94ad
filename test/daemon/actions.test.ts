import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runAction, type Action } from '../../src/daemon/actions';
import { pidFilePath } from '../../src/daemon/pidfile';
import { BAD_CF, GOOD_CF, configFile, fakeSystem } from './support/fake-system';

const opts = (configArg: string | undefined, extra: { debug?: boolean; dryRun?: boolean } = {}) => ({
  configArg,
  debug: extra.debug ?? false,
  dryRun: extra.dryRun,
});

describe('actions when the daemon is stopped (docs/behaviour.md §1.3)', () => {
  it.each<[Action, number]>([
    ['stop', 0],
    ['try-restart', 0],
    ['reload', 1],
    ['force-reload', 1],
    ['status', 3],
  ])('%s → %i', async (action, code) => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    expect(await runAction(action, opts(cf), s.deps)).toBe(code);
    expect(s.started).toEqual([]);
    expect(s.signals).toEqual([]);
  });

  it('status prints "ldirectord is stopped for CONFIG" on stdout', async () => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    await runAction('status', opts(cf), s.deps);
    expect(s.out.join('')).toBe(`ldirectord is stopped for ${cf}\n`);
  });

  it('reload says it is stopped', async () => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    await runAction('reload', opts(cf), s.deps);
    expect(s.err.join('')).toBe(`ldirectord is stopped for ${cf}\n`);
  });

  it('start spawns the daemon and returns 0 once it is ready', async () => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    expect(await runAction('start', opts(cf, { dryRun: true }), s.deps)).toBe(0);
    expect(s.started.map((r) => [r.configArg, r.configFile, r.dryRun])).toEqual([[cf, cf, true]]);
    expect(await runAction('status', opts(cf), s.deps)).toBe(0);
  });

  it("start reports the daemon's failure reason and exit status", async () => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    s.nextStart = {
      ok: false,
      exitCode: 1,
      message: 'cannot start the director: IPVS family not found (IPVS_UNAVAILABLE)',
    };
    expect(await runAction('start', opts(cf), s.deps)).toBe(1);
    expect(s.err.join('')).toBe(
      `ldirectord for ${cf} failed to start: cannot start the director: IPVS family not found (IPVS_UNAVAILABLE)\n`,
    );
  });

  it('-d and supervised=yes run in the foreground, without the detached daemon', async () => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    expect(await runAction('start', opts(cf, { debug: true }), s.deps)).toBe(0);
    const sup = configFile(`supervised=yes\n${GOOD_CF}`);
    expect(await runAction('start', opts(sup), s.deps)).toBe(0);
    expect(s.foreground.map((r) => [r.configFile, r.debug])).toEqual([
      [cf, true],
      [sup, false],
    ]);
    expect(s.started).toEqual([]);
  });

  it('forceSupervised (LDIRECTORD_SUPERVISED=yes) runs any config in the foreground', async () => {
    const s = fakeSystem({ forceSupervised: true });
    const cf = configFile(GOOD_CF);
    expect(await runAction('start', opts(cf), s.deps)).toBe(0);
    expect(s.foreground.map((r) => r.configFile)).toEqual([cf]);
    expect(s.started).toEqual([]);
  });
});

describe('actions when the daemon is running', () => {
  async function running() {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    expect(await runAction('start', opts(cf), s.deps)).toBe(0);
    const pid = Number(readFileSync(pidFilePath(s.runDir, cf), 'utf8'));
    s.err.splice(0); // start's own "started with pid" line
    return { s, cf, pid };
  }

  it('status → 0 with the pid on stderr', async () => {
    const { s, cf, pid } = await running();
    expect(await runAction('status', opts(cf), s.deps)).toBe(0);
    expect(s.err.join('')).toBe(`ldirectord for ${cf} is running with pid: ${pid}\n`);
  });

  it('start → 0 without starting a second daemon', async () => {
    const { s, cf } = await running();
    expect(await runAction('start', opts(cf), s.deps)).toBe(0);
    expect(s.started).toHaveLength(1);
  });

  it('reload and force-reload send HUP', async () => {
    const { s, cf, pid } = await running();
    expect(await runAction('reload', opts(cf), s.deps)).toBe(0);
    expect(await runAction('force-reload', opts(cf), s.deps)).toBe(0);
    expect(s.signals).toEqual([
      [pid, 'SIGHUP'],
      [pid, 'SIGHUP'],
    ]);
  });

  it('stop sends TERM and waits until the daemon is gone', async () => {
    const { s, cf, pid } = await running();
    expect(await runAction('stop', opts(cf), s.deps)).toBe(0);
    expect(s.signals).toEqual([[pid, 'SIGTERM']]);
    expect(s.alive(pid)).toBe(false);
    expect(await runAction('status', opts(cf), s.deps)).toBe(3);
  });

  it('stop is bounded: a daemon that does not finish is reported and stop exits 1', async () => {
    const { s, cf, pid } = await running();
    s.obeysTerm = false;
    expect(await runAction('stop', opts(cf), s.deps)).toBe(1);
    expect(s.now).toBeGreaterThanOrEqual(30_000);
    expect(s.err.join('')).toContain(`ldirectord for ${cf} (pid ${pid}) did not stop within 30 s`);
  });

  it.each<Action>(['restart', 'try-restart'])('%s stops, waits, then starts a new daemon', async (action) => {
    const { s, cf, pid } = await running();
    expect(await runAction(action, opts(cf), s.deps)).toBe(0);
    expect(s.signals).toEqual([[pid, 'SIGTERM']]);
    expect(s.started).toHaveLength(2);
    const newPid = Number(readFileSync(pidFilePath(s.runDir, cf), 'utf8'));
    expect(newPid).not.toBe(pid);
  });

  it('status runs status for every execute= instance', async () => {
    const s = fakeSystem();
    const cf = configFile(`execute=other.cf\nexecute=third.cf\n${GOOD_CF}`);
    await runAction('start', opts(cf), s.deps);
    expect(await runAction('status', opts(cf), s.deps)).toBe(0);
    expect(s.executed).toEqual([
      ['other.cf', 'status'],
      ['third.cf', 'status'],
    ]);
  });
});

describe('broken or missing configs', () => {
  it.each<Action>(['start', 'stop', 'restart', 'try-restart', 'reload', 'force-reload', 'status'])(
    'config file not found → 1 for %s',
    async (action) => {
      const s = fakeSystem();
      const missing = path.join(s.runDir, 'nope.cf');
      expect(await runAction(action, opts(missing), s.deps)).toBe(1);
      expect(s.err.join('')).toBe(`Config file ${missing} not found (looked for ${missing})\n`);
    },
  );

  it('a config error → 2 with every error as file:line:col: CODE message', async () => {
    const s = fakeSystem();
    const cf = configFile(BAD_CF);
    expect(await runAction('start', opts(cf), s.deps)).toBe(2);
    expect(s.err).toEqual([
      `${cf}:2:1: E_UNKNOWN_DIRECTIVE unknown directive "bogus"\n`,
      expect.stringMatching(new RegExp(`^${cf.replace(/[.]/g, '\\.')}:3:9: E_MISSING_PORT `)),
    ]);
    expect(s.started).toEqual([]);
  });

  it("a broken config never removes a running daemon's pid file (docs/behaviour.md §5.2 #9 fixed)", async () => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    await runAction('start', opts(cf), s.deps);
    const pidFile = pidFilePath(s.runDir, cf);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    writeFileSync(cf, BAD_CF);
    for (const a of ['status', 'reload', 'start', 'restart'] as Action[]) {
      expect(await runAction(a, opts(cf), s.deps)).toBe(2);
      expect(existsSync(pidFile)).toBe(true);
    }
    expect(s.signals).toEqual([]);
    // ... and stop still stops it.
    expect(await runAction('stop', opts(cf), s.deps)).toBe(0);
    expect(s.signals).toEqual([[pid, 'SIGTERM']]);
    expect(s.alive(pid)).toBe(false);
  });
});

describe('stale pid files', () => {
  it('status → 1 with the stale message on stderr and stopped on stdout', async () => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    const pidFile = pidFilePath(s.runDir, cf);
    writeFileSync(pidFile, '77777\n');
    expect(await runAction('status', opts(cf), s.deps)).toBe(1);
    expect(s.err.join('')).toBe(`ldirectord stale pid file ${pidFile} for ${cf}\n`);
    expect(s.out.join('')).toBe(`ldirectord is stopped for ${cf}\n`);
  });

  it('a pid that belongs to another program is stale too', async () => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    s.spawnProcess(4000, '/usr/sbin/nginx\0');
    writeFileSync(pidFilePath(s.runDir, cf), '4000\n');
    expect(await runAction('status', opts(cf), s.deps)).toBe(1);
    expect(await runAction('reload', opts(cf), s.deps)).toBe(1);
    expect(s.signals).toEqual([]);
  });

  it('start replaces a stale file; stop removes one and exits 0', async () => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    const pidFile = pidFilePath(s.runDir, cf);
    writeFileSync(pidFile, '77777\n');
    expect(await runAction('stop', opts(cf), s.deps)).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
    writeFileSync(pidFile, '77777\n');
    expect(await runAction('start', opts(cf), s.deps)).toBe(0);
    expect(readFileSync(pidFile, 'utf8')).not.toBe('77777\n');
  });
});
