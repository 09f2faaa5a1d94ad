// The notifier's order and bounds with a scripted `systemd-notify` and a fake clock; the readiness mapping; the
// journald line format. The real program against a real socket: test/deployment/systemd.test.ts.

import { EventEmitter } from 'node:events';
import { createNotifier, notifyReadiness, notifyValue, type NotifyChild } from '../../../src/daemon/process/sd-notify';
import { journalLines } from '../../../src/daemon/process/journal-sink';
import { NO_READINESS } from '../../../src/daemon/process/collaborators';

class FakeChild extends EventEmitter implements NotifyChild {
  killed: string | undefined;
  kill(signal: NodeJS.Signals): boolean {
    this.killed = signal;
    this.emit('exit', null);
    return true;
  }
}

function rig() {
  const runs: Array<{ args: readonly string[]; env: NodeJS.ProcessEnv; child: FakeChild }> = [];
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const errors: string[] = [];
  const n = createNotifier({
    socket: '/run/systemd/notify',
    spawn: (_file, args, env) => {
      const child = new FakeChild();
      runs.push({ args, env, child });
      return child;
    },
    setTimeout: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimeout: (h) => {
      (h as { cleared: boolean }).cleared = true;
    },
    onError: (m) => errors.push(m),
    timeoutMs: 1000,
  });
  return { n, runs, timers, errors };
}

const tick = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

describe('createNotifier', () => {
  it('sends one message at a time, in order, with only NOTIFY_SOCKET and PATH in the environment', async () => {
    const r = rig();
    r.n.send(['READY=1']);
    r.n.send(['STOPPING=1']);
    await tick();
    expect(r.runs.map((x) => x.args)).toEqual([['READY=1']]);
    expect(r.runs[0]?.env).toEqual({ NOTIFY_SOCKET: '/run/systemd/notify', PATH: '/usr/bin:/bin' });
    r.runs[0]?.child.emit('exit', 0);
    await tick();
    expect(r.runs.map((x) => x.args)).toEqual([['READY=1'], ['STOPPING=1']]);
    r.runs[1]?.child.emit('exit', 0);
    await r.n.idle();
    expect(r.errors).toEqual([]);
    expect(r.timers.every((t) => t.cleared)).toBe(true);
  });

  it('a run that hangs is killed at its bound and the next message still goes', async () => {
    const r = rig();
    r.n.send(['READY=1']);
    r.n.send(['STOPPING=1']);
    await tick();
    r.timers[0]?.fn();
    expect(r.runs[0]?.child.killed).toBe('SIGKILL');
    await tick();
    expect(r.runs).toHaveLength(2);
    r.runs[1]?.child.emit('exit', 1);
    await r.n.idle();
    expect(r.errors).toEqual([
      'systemd notify READY=1: /usr/bin/systemd-notify did not finish within 1 s',
      'systemd notify STOPPING=1: /usr/bin/systemd-notify exited with 1',
    ]);
  });

  it('a program that cannot be started is reported, not thrown', async () => {
    const errors: string[] = [];
    const n = createNotifier({
      socket: '/s',
      spawn: () => {
        throw new Error('ENOENT');
      },
      onError: (m) => errors.push(m),
      setTimeout: () => undefined,
      clearTimeout: () => undefined,
    });
    n.send(['READY=1']);
    await n.idle();
    expect(errors).toEqual(['systemd notify READY=1: ENOENT']);
  });
});

describe('notifyReadiness', () => {
  it('maps the daemon life cycle onto the protocol', () => {
    const sent: string[][] = [];
    const r = notifyReadiness(
      { send: (a) => void sent.push([...a]), idle: async () => undefined },
      () => 42n,
      NO_READINESS,
    );
    r.ready(7);
    r.reloading?.();
    r.reloaded?.();
    r.stopping?.();
    r.failed(2, 'lvs.cf:1:1: E_UNKNOWN_DIRECTIVE\nlvs.cf:2:1: E_MISSING_PORT');
    expect(sent.map((m) => m[0])).toEqual([
      'READY=1',
      'RELOADING=1',
      'READY=1',
      'STOPPING=1',
      'STATUS=lvs.cf:1:1: E_UNKNOWN_DIRECTIVE lvs.cf:2:1: E_MISSING_PORT',
    ]);
    expect(sent[1]).toContain('MONOTONIC_USEC=42');
    expect(sent[4]).toContain('EXIT_STATUS=2');
  });

  it('keeps a value on one line', () => {
    expect(notifyValue('a\nb\r\nc')).toBe('a b c');
  });
});

describe('journalLines', () => {
  it('prefixes every line with its syslog priority', () => {
    const at = 0;
    expect(journalLines({ level: 'error', debugLevel: 0, message: 'a\nb', at })).toBe('<3>a\n<3>b\n');
    expect(journalLines({ level: 'warn', debugLevel: 0, message: 'w', at })).toBe('<4>w\n');
    expect(journalLines({ level: 'info', debugLevel: 0, message: 'i', at })).toBe('<6>i\n');
    expect(journalLines({ level: 'debug', debugLevel: 2, message: 'd', at })).toBe('<7>DEBUG2: d\n');
  });
});
