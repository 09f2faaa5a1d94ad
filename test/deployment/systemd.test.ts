// The systemd unit (scripts/systemd/ldirectord.service) with systemd's own tools, and the daemon's side of it
// against real sockets: `systemd-analyze verify`, the offline `systemd-analyze security` score, the notify
// protocol received on a real unix datagram socket (test/deployment/fixtures/notify-listener.py) from the real
// CLI in the foreground (--dry-run), and the journald priority prefixes on its stdout.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LAUNCHER, ROOT, sandbox } from '../integration/support';
import { waitFor } from '../daemon/support/wait';

const UNIT = path.join(ROOT, 'scripts', 'systemd', 'ldirectord.service');
const LISTENER = path.join(__dirname, 'fixtures', 'notify-listener.py');
export const MAX_EXPOSURE = 3.5;

function exec(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      const code =
        err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

function collect(child: ChildProcess): { out: () => string; err: () => string; exit: Promise<number | null> } {
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr?.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { out: () => out, err: () => err, exit };
}

/** The datagrams the listener received, in order, less systemd-notify's BARRIER=1 (its wait for the manager). */
function messages(listenerOut: string): string[] {
  return listenerOut
    .split('\n')
    .filter((l) => l.startsWith('"'))
    .map((l) => JSON.parse(l) as string)
    .filter((m) => m !== 'BARRIER=1');
}

describe('systemd unit', () => {
  it('passes systemd-analyze verify with nothing said about it', async () => {
    const r = await exec('/usr/bin/systemd-analyze', ['verify', UNIT]);
    expect(r.code).toBe(0);
    // verify exits 0 on unknown keys and bad values too: it only warns, naming the file.
    expect(r.stderr.split('\n').filter((l) => l.includes('ldirectord.service'))).toEqual([]);
  });

  it(`rates ≤ ${MAX_EXPOSURE} in systemd-analyze security, keeping what the director needs`, async () => {
    const r = await exec('/usr/bin/systemd-analyze', ['security', '--offline=true', '--no-pager', UNIT]);
    const m = /Overall exposure level for ldirectord\.service: (\d+\.\d)/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m?.[1])).toBeLessThanOrEqual(MAX_EXPOSURE);
    const unit = readFileSync(UNIT, 'utf8');
    expect(unit).toMatch(/^AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW$/m);
    expect(unit).toMatch(/^CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW$/m);
    expect(unit).toMatch(/^RestrictAddressFamilies=AF_NETLINK AF_UNIX AF_INET AF_INET6$/m);
    expect(unit).toMatch(/^Type=notify$/m);
    expect(unit).toMatch(/^NotifyAccess=all$/m);
  });
});

describe('notify protocol and journal lines (real CLI, --dry-run, foreground as under the unit)', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('READY=1 after the table is programmed, RELOADING=1/READY=1 around a reload, STOPPING=1 on TERM; every line <N>-prefixed on stdout', async () => {
    const s = sandbox();
    const socket = path.join(s.dir, 'notify.sock');
    const listener = spawn('/usr/bin/python3', [LISTENER, socket], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(listener);
    const heard = collect(listener);
    await waitFor('the listener to bind', () => heard.out().startsWith('bound\n'), undefined, 30_000);

    const env = { ...s.env, LDIRECTORD_SUPERVISED: 'yes', NOTIFY_SOCKET: socket, JOURNAL_STREAM: '8:12345' };
    const daemon = spawn(LAUNCHER, ['--dry-run', s.cf, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(daemon);
    const d = collect(daemon);

    let stdoutAtReady = '';
    await waitFor(
      'READY=1',
      () => {
        stdoutAtReady = d.out();
        return messages(heard.out()).some((m) => m.split('\n').includes('READY=1'));
      },
      undefined,
      60_000,
    );
    // The table was programmed before READY=1 was sent.
    expect(stdoutAtReady).toContain('<6>Added real server: 127.0.0.2:8080 (127.0.0.1:8080)');
    expect(messages(heard.out())).toHaveLength(1);

    // A reload with a broken config: RELOADING=1, the error at priority 3, READY=1 again (the old config runs on).
    const good = readFileSync(s.cf, 'utf8');
    writeFileSync(s.cf, `${good}bogus=1\n`);
    daemon.kill('SIGHUP');
    await waitFor('READY=1 after the reload', () => messages(heard.out()).length >= 3, undefined, 60_000);
    const [, reloading = '', readyAgain = ''] = messages(heard.out());
    expect(reloading.split('\n')).toContain('RELOADING=1');
    expect(reloading).toMatch(/^MONOTONIC_USEC=\d+$/m);
    expect(readyAgain.split('\n')).toContain('READY=1');
    expect(d.out()).toMatch(/^<3>.*bogus/m);

    writeFileSync(s.cf, good);
    daemon.kill('SIGTERM');
    expect(await d.exit).toBe(0);
    await waitFor('STOPPING=1', () => messages(heard.out()).length >= 4, undefined, 30_000);
    expect((messages(heard.out())[3] ?? '').split('\n')).toContain('STOPPING=1');
    expect(messages(heard.out())).toHaveLength(4);

    // Every line of stdout carries a priority; nothing on stderr; the logfile= of the config is not used.
    const lines = d
      .out()
      .split('\n')
      .filter((l) => l !== '');
    expect(lines.filter((l) => !/^<[3467]>/.test(l))).toEqual([]);
    expect(lines).toContain('<6>Linux Director Daemon terminated on signal: TERM');
    expect(d.err()).toBe('');
    expect(existsSync(s.log)).toBe(false);
  }, 180_000);

  it('without NOTIFY_SOCKET and JOURNAL_STREAM the foreground daemon sends nothing and keeps `[ctime] message`', async () => {
    const s = sandbox();
    const env = { ...s.env, LDIRECTORD_SUPERVISED: 'yes' };
    const daemon = spawn(LAUNCHER, ['--dry-run', s.cf, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(daemon);
    const d = collect(daemon);
    await waitFor('the director to be started', () => d.out().includes('Added real server'), undefined, 60_000);
    daemon.kill('SIGTERM');
    expect(await d.exit).toBe(0);
    expect(d.out()).toMatch(/^\[[^\]]+\] Added real server/m);
    expect(d.out()).not.toMatch(/^</m);
  }, 120_000);
});
