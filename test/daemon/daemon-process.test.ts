// The real daemon process: `start` spawns the detached child (tsx runs it from the sources), which loads the
// config, writes its pid file, starts a stand-in director (fixtures/fake-director.ts) and reports readiness.
// Signals go to the real child; the test waits on its pid file, its journal and its log.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runAction, type ActionDeps } from '../../src/daemon/actions';
import { systemActionDeps } from '../../src/daemon/process/system';
import { pidFilePath } from '../../src/daemon/pidfile';
import { processGone, readLines, waitFor, waitForLine } from './support/wait';

const FAKE_DAEMON_MAIN = path.join(__dirname, 'fixtures', 'fake-daemon-main.ts');

interface Env {
  dir: string;
  cf: string;
  log: string;
  journal: string;
  deps: ActionDeps;
  err: string[];
}

function setup(extra = ''): Env {
  const dir = mkdtempSync(path.join(tmpdir(), 'ldd-daemon-'));
  const cf = path.join(dir, 'web.cf');
  const log = path.join(dir, 'ldirectord.log');
  const journal = path.join(dir, 'journal');
  writeFileSync(
    cf,
    `${extra}checkinterval=1\nlogfile="${log}"\nvirtual=127.0.0.1:8080\n\treal=127.0.0.2:8080 masq\n\tchecktype=on\n`,
  );
  process.env.FAKE_DIRECTOR_JOURNAL = journal;
  const err: string[] = [];
  const deps: ActionDeps = {
    ...systemActionDeps({ runDir: dir, daemonEntry: FAKE_DAEMON_MAIN, readyTimeoutMs: 20_000, stopTimeoutMs: 20_000 }),
    stderr: (t) => {
      err.push(t);
    },
    stdout: () => undefined,
  };
  return { dir, cf, log, journal, deps, err };
}

const pidOf = (e: Env): number => Number(readFileSync(pidFilePath(e.dir, e.cf), 'utf8').split('\n')[0]);

afterEach(() => {
  delete process.env.FAKE_DIRECTOR_JOURNAL;
  delete process.env.FAKE_DIRECTOR_FAIL;
  delete process.env.FAKE_DIRECTOR_STOP_GATE;
});

describe('the detached daemon', () => {
  it('start → ready daemon with pid file; HUP reloads; a bad config keeps the old one; stop cleans up', async () => {
    const e = setup();
    expect(await runAction('start', { configArg: e.cf, debug: false, dryRun: true }, e.deps)).toBe(0);
    // Readiness means the director had already started when start returned.
    expect(readLines(e.journal)).toEqual([
      expect.stringMatching(new RegExp(`^start ${e.cf} dryRun=true state=starting pid=\\d+$`)),
    ]);
    const pid = pidOf(e);
    expect(readLines(e.journal)[0]).toContain(`pid=${pid}`);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('ldirectord');
    expect(await runAction('status', { configArg: e.cf, debug: false }, e.deps)).toBe(0);

    writeFileSync(e.cf, readFileSync(e.cf, 'utf8').replace('checkinterval=1', 'checkinterval=7'));
    expect(await runAction('reload', { configArg: e.cf, debug: false }, e.deps)).toBe(0);
    await waitForLine(e.journal, /^reload checkinterval=7 state=reloading$/);
    await waitForLine(e.log, /Reloading Linux Director Daemon config on signal/);

    // A broken file: reload by signal directly (the CLI would refuse with 2 before sending HUP).
    writeFileSync(e.cf, readFileSync(e.cf, 'utf8').replace('checkinterval=7', 'checkinterval=7\nbogus=1'));
    // Every reload, good or bad, goes to the director, which logs and counts a rejected one (reload-daemon.test.ts).
    process.kill(pid, 'SIGHUP');
    await waitForLine(e.journal, /^reload rejected errors=1 state=reloading$/);
    expect(readLines(e.journal).filter((l) => l.startsWith('reload checkinterval'))).toHaveLength(1);
    expect(processGone(pid)).toBe(false);

    expect(await runAction('stop', { configArg: e.cf, debug: false }, e.deps)).toBe(0);
    expect(processGone(pid)).toBe(true);
    expect(existsSync(pidFilePath(e.dir, e.cf))).toBe(false);
    expect(readLines(e.journal).slice(-2)).toEqual(['stopping state=stopping', 'stopped']);
    await waitForLine(e.log, /Linux Director Daemon terminated on signal: TERM/);
  });

  it("start fails with the director's reason, exit 1, and leaves no pid file", async () => {
    const e = setup();
    process.env.FAKE_DIRECTOR_FAIL = 'generic netlink family IPVS not found';
    expect(await runAction('start', { configArg: e.cf, debug: false }, e.deps)).toBe(1);
    expect(e.err.join('')).toBe(
      `ldirectord for ${e.cf} failed to start: cannot start the director: generic netlink family IPVS not found (IPVS_UNAVAILABLE)\n`,
    );
    expect(existsSync(pidFilePath(e.dir, e.cf))).toBe(false);
    expect(await runAction('status', { configArg: e.cf, debug: false }, e.deps)).toBe(3);
  });

  it('a second TERM while the cleanup runs is logged and the cleanup still finishes', async () => {
    const e = setup();
    const gate = path.join(e.dir, 'gate');
    process.env.FAKE_DIRECTOR_STOP_GATE = gate;
    expect(await runAction('start', { configArg: e.cf, debug: false }, e.deps)).toBe(0);
    const pid = pidOf(e);
    process.kill(pid, 'SIGTERM');
    await waitForLine(e.journal, /^stopping state=stopping$/);
    process.kill(pid, 'SIGTERM');
    process.kill(pid, 'SIGINT');
    await waitForLine(e.log, /Received INT while stopping: the cleanup is still running and will finish/);
    expect(processGone(pid)).toBe(false);
    writeFileSync(gate, '');
    await waitFor(`pid ${pid} to exit`, () => processGone(pid));
    expect(readLines(e.journal).slice(-1)).toEqual(['stopped']);
    expect(existsSync(pidFilePath(e.dir, e.cf))).toBe(false);
  });

  it('SIGPIPE does not stop the daemon', async () => {
    const e = setup();
    expect(await runAction('start', { configArg: e.cf, debug: false }, e.deps)).toBe(0);
    const pid = pidOf(e);
    process.kill(pid, 'SIGPIPE');
    // Still serving: a reload after the PIPE is handled, which proves the process survived it.
    process.kill(pid, 'SIGHUP');
    await waitForLine(e.journal, /^reload /);
    expect(processGone(pid)).toBe(false);
    expect(await runAction('stop', { configArg: e.cf, debug: false }, e.deps)).toBe(0);
  });

  it('a stale pid file naming `tail -f …/ldirectord.log`: start starts a daemon, stop does not kill the tail', async () => {
    const e = setup();
    writeFileSync(e.log, '');
    const tail = spawn('tail', ['-f', e.log], { stdio: 'ignore' });
    try {
      await waitFor(
        'the tail to run',
        () => tail.pid !== undefined && readFileSync(`/proc/${tail.pid}/cmdline`, 'utf8').includes('ldirectord'),
      );
      writeFileSync(pidFilePath(e.dir, e.cf), `${tail.pid}\n`);
      expect(await runAction('start', { configArg: e.cf, debug: false }, e.deps)).toBe(0);
      const pid = pidOf(e);
      expect(pid).not.toBe(tail.pid);
      expect(processGone(tail.pid!)).toBe(false);
      expect(readFileSync(pidFilePath(e.dir, e.cf), 'utf8')).toMatch(new RegExp(`^${pid}\nstarttime=\\d+\n$`));
      expect(await runAction('stop', { configArg: e.cf, debug: false }, e.deps)).toBe(0);
      expect(processGone(pid)).toBe(true);
      expect(processGone(tail.pid!)).toBe(false);
      // A stale file naming the tail again: stop removes the file and leaves the tail alone.
      writeFileSync(pidFilePath(e.dir, e.cf), `${tail.pid}\n`);
      expect(await runAction('stop', { configArg: e.cf, debug: false }, e.deps)).toBe(0);
      expect(processGone(tail.pid!)).toBe(false);
      expect(existsSync(pidFilePath(e.dir, e.cf))).toBe(false);
    } finally {
      tail.kill();
    }
  });
});
