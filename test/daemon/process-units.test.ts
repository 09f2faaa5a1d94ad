import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fsx from 'node:fs';
import * as os from 'node:os';
import * as p from 'node:path';
import { guardProcess } from '../../src/daemon/process/crash-guard';
import { runCallback } from '../../src/daemon/process/system';
import { callbackArgv, callbackRunner } from '../../src/daemon/callback';
import { boundedSpawner } from '../../src/daemon/spawn';
import { waitFor } from './support/wait';
import { loadConfig } from '../../src/config/load';
import { formatDaemonArgs, parseDaemonArgs } from '../../src/daemon/process/daemon-args';
import { daemonize } from '../../src/daemon/process/daemonize';
import { serverChangeOf, virtualIndexer } from '../../src/daemon/process/director-events';
import { planExecuteReload, createExecuteRunner } from '../../src/daemon/process/execute';
import { ipcReadiness, parseReadinessMessage } from '../../src/daemon/process/readiness';
import { cliCommand, nodeCommand } from '../../src/daemon/process/self-command';
import { wireSignals } from '../../src/daemon/process/signals';
import type { Op } from '../../src/reconcile/ops';
import { memoryLogger } from './support/memory-logger';
import { configFrom } from './support/virtuals';

describe('signal wiring', () => {
  it('TERM/INT/QUIT stop once; repeats are logged; HUP reloads; PIPE is swallowed; unwire removes all', () => {
    const src = new EventEmitter();
    const calls: string[] = [];
    const logger = memoryLogger();
    const unwire = wireSignals(
      src,
      { stop: (s) => calls.push(`stop ${s}`), reload: () => calls.push('reload') },
      logger,
    );
    src.emit('SIGHUP');
    src.emit('SIGPIPE');
    src.emit('SIGQUIT');
    src.emit('SIGTERM');
    src.emit('SIGHUP');
    expect(calls).toEqual(['reload', 'stop QUIT']);
    expect(logger.lines).toEqual([
      'warn: Received TERM while stopping: the cleanup is still running and will finish',
      'warn: Received HUP while stopping: reload ignored',
    ]);
    unwire();
    for (const s of ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGPIPE']) expect(src.listenerCount(s)).toBe(0);
  });
});

describe('daemon child arguments', () => {
  it('round-trip, and keep "ldirectord" in the command line', () => {
    const a = {
      configFile: '/etc/ha.d/x.cf',
      configArg: 'x.cf',
      runDir: '/run/ldirectord',
      procRoot: '/proc',
      dryRun: true,
      self: { command: '/usr/bin/node', args: ['/usr/sbin/ldirectord'] },
    };
    const argv = formatDaemonArgs(a);
    expect(argv[0]).toBe('ldirectord-daemon');
    expect(parseDaemonArgs(argv)).toEqual(a);
  });

  it('reject what they do not understand with DAEMON_ARGS', () => {
    expect(() => parseDaemonArgs(['x'])).toThrow(expect.objectContaining({ code: 'DAEMON_ARGS' }));
    expect(() => parseDaemonArgs(['ldirectord-daemon', '--run-dir', '/r'])).toThrow(
      expect.objectContaining({ code: 'DAEMON_ARGS', message: 'missing --config-file' }),
    );
    expect(() => parseDaemonArgs(['ldirectord-daemon', '--config-file'])).toThrow(
      expect.objectContaining({ code: 'DAEMON_ARGS' }),
    );
    expect(() =>
      parseDaemonArgs(['ldirectord-daemon', '--config-file', 'f', '--run-dir', 'r', '--self', '{"command":1}']),
    ).toThrow(expect.objectContaining({ code: 'DAEMON_ARGS' }));
  });
});

describe('self command', () => {
  it('runs .ts through tsx and .js plainly; the CLI is known only when argv[1] is ldirectord', () => {
    expect(nodeCommand('/x/daemon-main.js', '/usr/bin/node')).toEqual({
      command: '/usr/bin/node',
      args: ['/x/daemon-main.js'],
    });
    expect(nodeCommand('/x/daemon-main.ts', '/usr/bin/node').args).toEqual([
      '--require',
      expect.stringContaining('tsx'),
      '/x/daemon-main.ts',
    ]);
    expect(cliCommand(['/usr/bin/node', '/usr/sbin/ldirectord', 'start'], '/usr/bin/node')).toEqual({
      command: '/usr/bin/node',
      args: ['/usr/sbin/ldirectord'],
    });
    expect(cliCommand(['/usr/bin/node', '/x/jest'], '/usr/bin/node')).toBeUndefined();
  });
});

describe('readiness', () => {
  it('accepts only well-formed messages', () => {
    expect(parseReadinessMessage({ type: 'ready', pid: 5 })).toEqual({ type: 'ready', pid: 5 });
    expect(parseReadinessMessage({ type: 'failed', exitCode: 2, message: 'm' })).toEqual({
      type: 'failed',
      exitCode: 2,
      message: 'm',
    });
    expect(parseReadinessMessage({ type: 'ready' })).toBeUndefined();
    expect(parseReadinessMessage('ready')).toBeUndefined();
    expect(parseReadinessMessage(null)).toBeUndefined();
  });

  it('sends at most one message, then disconnects', () => {
    const sent: unknown[] = [];
    let disconnected = 0;
    const r = ipcReadiness({
      connected: true,
      send: (m, _h, _o, cb) => {
        sent.push(m);
        cb?.(null);
        return true;
      },
      disconnect: () => {
        disconnected++;
      },
    });
    r.ready(7);
    r.failed(1, 'late');
    expect(sent).toEqual([{ type: 'ready', pid: 7 }]);
    expect(disconnected).toBe(1);
    // Without an IPC channel (foreground) it is a no-op.
    expect(() => ipcReadiness({}).ready(1)).not.toThrow();
  });
});

describe('daemonize (real child processes)', () => {
  const node = (script: string) => ({ command: process.execPath, args: ['-e', script] });

  it('resolves with the pid the child reports', async () => {
    const out = await daemonize(spawn, {
      command: node('process.send({type:"ready",pid:process.pid},()=>process.disconnect())'),
      args: [],
      readyTimeoutMs: 10_000,
    });
    expect(out).toEqual({ ok: true, pid: expect.any(Number) });
  });

  it('passes a failure through', async () => {
    const out = await daemonize(spawn, {
      command: node('process.send({type:"failed",exitCode:2,message:"bad"},()=>process.exit(2))'),
      args: [],
      readyTimeoutMs: 10_000,
    });
    expect(out).toEqual({ ok: false, exitCode: 2, message: 'bad' });
  });

  it('a child that exits without a word is reported with its status', async () => {
    const out = await daemonize(spawn, { command: node('process.exit(3)'), args: [], readyTimeoutMs: 10_000 });
    expect(out).toEqual({ ok: false, exitCode: 1, message: 'the daemon exited (status 3) before it was ready' });
  });

  it('a silent child is given up after the timeout and sent TERM', async () => {
    const out = await daemonize(spawn, { command: node('setInterval(()=>{},1000)'), args: [], readyTimeoutMs: 300 });
    expect(out).toEqual({
      ok: false,
      exitCode: 1,
      message: 'the daemon did not report readiness within 0.3 s; sent it TERM',
    });
  });

  it('a missing program is reported', async () => {
    const out = await daemonize(spawn, {
      command: { command: '/nonexistent/node', args: [] },
      args: [],
      readyTimeoutMs: 10_000,
    });
    expect(out).toMatchObject({
      ok: false,
      exitCode: 1,
      message: expect.stringContaining('cannot start the daemon: spawn /nonexistent/node ENOENT'),
    });
  });
});

describe('execute= sub-instances', () => {
  it('reload plan: stop removed, reload kept, start new', () => {
    expect(planExecuteReload(['a', 'b'], ['b', 'c'])).toEqual([
      ['a', 'stop'],
      ['b', 'reload'],
      ['c', 'start'],
    ]);
    expect(planExecuteReload([], [])).toEqual([]);
  });

  it('runs `<self> <flags> <value> <action>` and returns its status; failures are logged', async () => {
    const logger = memoryLogger();
    const runner = createExecuteRunner({
      self: {
        command: '/bin/sh',
        args: ['-c', 'echo "$@" >&2; [ "$1 $2 $3" = "--dry-run other.cf status" ] && exit 3; exit 0', 'sh'],
      },
      flags: ['--dry-run'],
      spawn: (c, a, o) => spawn(c, [...a], { ...o, stdio: 'ignore' }),
      logger,
      timeoutMs: 10_000,
    });
    expect(await runner.run('other.cf', 'start')).toBe(0);
    expect(await runner.run('other.cf', 'status')).toBe(3);
    expect(logger.lines).toEqual(['error: execute=other.cf status: exit status 3']);
    const none = createExecuteRunner({ self: undefined, flags: [], spawn, logger, timeoutMs: 1000 });
    expect(await none.run('x.cf', 'stop')).toBe(1);
  });
});

describe('director events → server changes', () => {
  it('maps applied destination ops to alert kinds with the log line as text', async () => {
    const c = await configFrom('virtual=127.0.0.1:8080\n\treal=127.0.0.2:8080 masq\n\tchecktype=on\n');
    const v = c.virtuals[0]!;
    const service = {
      family: 'inet' as const,
      protocol: 'tcp' as const,
      address: '127.0.0.1',
      port: 8080,
      scheduler: 'wrr',
      flags: { persistent: false, onePacket: false, sched1: false, sched2: false, sched3: false },
      timeout: 0,
      netmask: '255.255.255.255',
    };
    const dest = {
      family: 'inet' as const,
      address: '127.0.0.2',
      port: 8080,
      forwarding: 'masq' as const,
      weight: 1,
      upperThreshold: 0,
      lowerThreshold: 0,
    };
    const base = { service, dest, label: '127.0.0.1:8080', destLabel: '127.0.0.2:8080' };
    const deleteDest = (role: 'real' | 'fallback', why: 'down' | 'purge'): Op => ({
      kind: 'delete-dest',
      key: service,
      dest,
      role,
      why,
      label: base.label,
      destLabel: base.destLabel,
    });
    const ops: Op[] = [
      { kind: 'add-dest', role: 'real', why: 'up', ...base },
      { kind: 'edit-dest', role: 'real', why: 'up', ...base },
      { kind: 'edit-dest', role: 'real', why: 'quiesce', ...base, dest: { ...dest, weight: 0 } },
      deleteDest('real', 'down'),
      deleteDest('fallback', 'down'),
      deleteDest('real', 'purge'),
      { kind: 'add-service', service, label: base.label },
    ];
    const got = ops
      .map((op) => serverChangeOf(op, 'stop', virtualIndexer()(c)))
      .map((ch) => ch && [ch.kind, ch.fallback, ch.message, ch.virtual === v]);
    expect(got).toEqual([
      ['added', false, 'Added real server: 127.0.0.2:8080 (127.0.0.1:8080) (Weight set to 1)', true],
      ['restored', false, 'Restored real server: 127.0.0.2:8080 (127.0.0.1:8080) (Weight set to 1)', true],
      ['quiescent', false, 'Quiescent real server: 127.0.0.2:8080 (127.0.0.1:8080) (Weight set to 0)', true],
      ['deleted', false, 'Deleted real server: 127.0.0.2:8080 (127.0.0.1:8080)', true],
      ['deleted', true, 'Deleted fallback server: 127.0.0.2:8080 (127.0.0.1:8080)', true],
      ['purged', false, 'Purged real server (stop): 127.0.0.2:8080 (127.0.0.1:8080)', true],
      undefined,
    ]);
    // An op for a service the config does not have is not an alert.
    const other = { kind: 'add-dest', role: 'real', why: 'up', ...base, service: { ...service, port: 9999 } } as Op;
    expect(serverChangeOf(other, 'start', virtualIndexer()(c))).toBeUndefined();
    expect((await loadConfig('/nonexistent')).ok).toBe(false);
  });
});

describe('crash guard', () => {
  it('logs an unexpected exception and asks for a graceful stop once; rejections are logged', () => {
    const proc = Object.assign(new EventEmitter(), {
      pid: 42,
      kills: [] as Array<[number, string]>,
      kill(pid: number, s: NodeJS.Signals) {
        this.kills.push([pid, s]);
      },
    });
    const logger = memoryLogger();
    const unguard = guardProcess(proc, logger);
    proc.emit('uncaughtException', new Error('boom'));
    proc.emit('uncaughtException', new Error('again'));
    proc.emit('unhandledRejection', 'nope');
    expect(proc.kills).toEqual([[42, 'SIGTERM']]);
    expect(logger.lines[0]).toMatch(/^error: unexpected error, stopping: Error: boom/);
    expect(logger.lines[1]).toMatch(/^error: unexpected error: Error: again/);
    expect(logger.lines[2]).toBe('error: unhandled rejection: nope');
    unguard();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });
});

describe('callback runner (real shell)', () => {
  it('runs an executable callback with the config path; refuses a non-executable one', async () => {
    const dir = fsx.mkdtempSync(p.join(os.tmpdir(), 'ldd-cb-'));
    const out = p.join(dir, 'out');
    const cb = p.join(dir, 'changed.sh');
    fsx.writeFileSync(cb, `#!/bin/sh\necho "$1" > ${out}\n`, { mode: 0o755 });
    await runCallback(cb, '/etc/ha.d/my file.cf');
    // Settled only once the callback has exited: its output is there without waiting.
    expect(fsx.readFileSync(out, 'utf8')).toBe('/etc/ha.d/my file.cf\n');
    const plain = p.join(dir, 'plain.sh');
    fsx.writeFileSync(plain, '#!/bin/sh\n', { mode: 0o644 });
    // As root, access(X_OK) on a 0644 file fails too (no execute bit at all).
    await expect(runCallback(plain, '/x.cf')).rejects.toMatchObject({ code: 'EACCES' });
    // A callback with arguments and shell syntax still works as the original's system() ran it.
    const shelled = p.join(dir, 'shelled');
    await runCallback(`${cb} "$(echo x)" >/dev/null; echo done >${shelled}; true`, '/y.cf');
    expect(fsx.readFileSync(shelled, 'utf8')).toBe('done\n');
    await expect(runCallback(`${p.join(dir, 'fails.sh')}`, '/x.cf')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('kills a callback (and what it started) that outlives its bound, and says so', async () => {
    const dir = fsx.mkdtempSync(p.join(os.tmpdir(), 'ldd-cb-'));
    const pids = p.join(dir, 'pids');
    const cb = p.join(dir, 'hangs.sh');
    fsx.writeFileSync(
      cb,
      `#!/bin/sh
sleep 1000 &
echo $$ $! > ${pids}
wait
`,
      { mode: 0o755 },
    );
    const run = callbackRunner({
      spawn: boundedSpawner(spawn, 300),
      executable: async () => undefined,
      timeoutMs: 300,
    });
    await expect(run(cb, '/x.cf')).rejects.toThrow('still running after 0.3 s: killed with its process group');
    const [shell, sleeper] = fsx.readFileSync(pids, 'utf8').trim().split(' ').map(Number);
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor('the callback and its child gone', () => !alive(shell!) && !alive(sleeper!), dir);
  });

  it('runs plain words without a shell, anything else through /bin/sh with the path as $1', () => {
    expect(callbackArgv(' /usr/local/bin/sync-cf --to peer-2 ', '/etc/ha.d/a b.cf')).toEqual({
      file: '/usr/local/bin/sync-cf',
      args: ['--to', 'peer-2', '/etc/ha.d/a b.cf'],
    });
    expect(callbackArgv('/bin/sync "peer 2"', '/etc/x.cf')).toEqual({
      file: '/bin/sh',
      args: ['-c', '/bin/sync "peer 2" "$1"', 'sh', '/etc/x.cf'],
    });
    expect(callbackArgv('~/sync', '/etc/x.cf').file).toBe('/bin/sh');
  });
});
