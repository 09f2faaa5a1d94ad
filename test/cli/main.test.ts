// main(): output streams and exit codes of each command, with the config files in memory and the action
// runner injected.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { resolve } from 'node:path';
import type { Action, ActionOptions } from '../../src/daemon/actions';
import { main, type MainDeps } from '../../src/cli/main';
import { fakeResolver, memFs } from '../config/helpers';

const GOOD = 'checktimeout=3\nvirtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate 2\n\treal=192.0.2.11:8080 masq\n';
const BAD = 'checktimeout=0\nvirtual=192.0.2.1\n\treal=192.0.2.10:80 bridge\n';
const WARN = 'checkcount=2\nvirtual=192.0.2.1:80\n';

async function run(argv: string[], files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const actions: [Action, ActionOptions][] = [];
  const fs = memFs(files);
  const deps: MainDeps = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    exists: (p) => p in files,
    load: { resolver: fakeResolver(), ...fs },
    readFile: async (p) => Buffer.from(await fs.readFile(p)),
    runAction: async (a, o) => {
      actions.push([a, o]);
      return 0;
    },
  };
  const code = await main(argv, deps);
  return { code, stdout, stderr, actions };
}

describe('-t', () => {
  test('a valid config: exit 0, a summary on stdout', async () => {
    const r = await run(['-t', 'web.cf'], { '/etc/ha.d/web.cf': GOOD });
    expect(r).toEqual({
      code: 0,
      stdout: '/etc/ha.d/web.cf: configuration OK (1 virtual services, 2 real servers)\n',
      stderr: '',
      actions: [],
    });
  });

  test('an invalid config: exit 2, every error on stderr as file:line:col: CODE message', async () => {
    const r = await run(['-t', 'web.cf'], { '/etc/ha.d/web.cf': BAD });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      '/etc/ha.d/web.cf:1:14: E_BAD_INTEGER checktimeout must be between 1 and 2147483647, got 0',
      '/etc/ha.d/web.cf:2:9: E_MISSING_PORT virtual: "192.0.2.1" has no port: write ADDRESS:PORT, or a bare number for a firewall mark',
      '/etc/ha.d/web.cf:3:21: E_BAD_REAL real: forward method must be gate, masq or ipip, got "bridge"',
      '/etc/ha.d/web.cf: 3 error(s), configuration not loaded',
      '',
    ]);
  });

  test('warnings are printed on stderr but the config is valid', async () => {
    const r = await run(['-t', 'web.cf'], { '/etc/ha.d/web.cf': WARN });
    expect([r.code, r.stderr]).toEqual([0, expect.stringMatching(/^\/etc\/ha\.d\/web\.cf:1:1: W_DEPRECATED /)]);
  });

  test('lookup order: /etc/ha.d, then /etc/ha.d/conf, then as given', async () => {
    const both = { '/etc/ha.d/web.cf': GOOD, '/etc/ha.d/conf/web.cf': BAD };
    expect((await run(['-t', 'web.cf'], both)).code).toBe(0);
    expect((await run(['-t', 'web.cf'], { '/etc/ha.d/conf/web.cf': BAD })).code).toBe(2);
    expect((await run(['-t', '/srv/web.cf'], { '/srv/web.cf': GOOD })).code).toBe(0);
  });

  test('no config argument: ldirectord.cf', async () => {
    expect((await run(['-t'], { '/etc/ha.d/ldirectord.cf': GOOD })).code).toBe(0);
  });

  test('a missing config: exit 1, "Config file X not found" and the paths tried, in order', async () => {
    const here = resolve('nope.cf');
    expect(await run(['-t', 'nope.cf'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `Config file nope.cf not found (looked for /etc/ha.d/nope.cf, /etc/ha.d/conf/nope.cf, ${here})\n`,
      actions: [],
    });
    expect((await run(['-t'])).stderr).toBe(
      `Config file ldirectord.cf not found (looked for /etc/ha.d/ldirectord.cf, /etc/ha.d/conf/ldirectord.cf, ${resolve('ldirectord.cf')})\n`,
    );
    expect((await run(['-t', '/srv/x.cf'])).stderr).toBe('Config file /srv/x.cf not found (looked for /srv/x.cf)\n');
  });

  test('an empty config: OK, with a W_NO_VIRTUALS warning', async () => {
    const r = await run(['-t', 'web.cf'], { '/etc/ha.d/web.cf': '' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      '/etc/ha.d/web.cf:1:1: W_NO_VIRTUALS no virtual service: started, this config programs an empty IPVS table; reloaded, it removes every service\n',
    );
  });

  test('a real server that can never come up: a W_NO_PORT warning at its line', async () => {
    const cfg =
      'virtual=192.0.2.1:80\n\treal=192.0.2.10 gate\n\treal=192.0.2.11 masq\n\tchecktype=connect\n\tservice=none\n\treal=192.0.2.12:80 gate\n';
    const r = await run(['-t', 'web.cf'], { '/etc/ha.d/web.cf': cfg });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')).toEqual([
      '/etc/ha.d/web.cf:2:7: W_NO_PORT real server 192.0.2.10:0 of tcp:192.0.2.1:80: its connect check has no port (no checkport, no real port, no default port for service none), so it never comes up; give the real a port or set checkport',
      "/etc/ha.d/web.cf:3:7: W_NO_PORT real server 192.0.2.11:0 of tcp:192.0.2.1:80: masq needs the real server's port (the kernel would forward to port 0); write 192.0.2.11:PORT",
      '',
    ]);
  });

  test("start's status checks run under -t: a non-loopback statusaddress without TLS and users is refused", async () => {
    const r = await run(['-t', 'web.cf'], { '/etc/ha.d/web.cf': `statusaddress=0.0.0.0:9186\n${GOOD}` });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^STATUS_INSECURE \/etc\/ha\.d\/web\.cf:1:15: statusaddress 0\.0\.0\.0:9186 is not a loopback address/,
    );
    expect(r.stderr).toMatch(/\n\/etc\/ha\.d\/web\.cf: 1 error\(s\), start would refuse this configuration\n$/);
  });

  test("start's status checks run under -t: a plain-password users line is refused with its file:line", async () => {
    const r = await run(['-t', 'web.cf'], {
      '/etc/ha.d/web.cf': `statususers=/etc/ha.d/users\n${GOOD}`,
      '/etc/ha.d/users': 'admin:secret\n',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^STATUS_USERS_BAD_LINE \/etc\/ha\.d\/users:1: expected user:\$scrypt\$/);
  });
});

describe('--print-table', () => {
  test('prints the table in ipvsadm -S -n format, exit 0', async () => {
    const r = await run(['--print-table', 'web.cf'], { '/etc/ha.d/web.cf': GOOD });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      '-A -t 192.0.2.1:80 -s wrr\n-a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 2\n-a -t 192.0.2.1:80 -r 192.0.2.11:8080 -m -w 1\n',
      '',
    ]);
  });

  test('an invalid config: exit 2, no table', async () => {
    const r = await run(['--print-table', 'web.cf'], { '/etc/ha.d/web.cf': BAD });
    expect([r.code, r.stdout]).toEqual([2, '']);
  });
});

describe('actions', () => {
  test('pass the config argument as typed, debug and dry-run to runAction', async () => {
    const r = await run(['-d', '--dry-run', 'web.cf', 'start'], { '/etc/ha.d/web.cf': GOOD });
    expect([r.code, r.actions]).toEqual([0, [['start', { configArg: 'web.cf', debug: true, dryRun: true }]]]);
  });

  test('one positional: the action, with the default config', async () => {
    const r = await run(['status'], { '/etc/ha.d/ldirectord.cf': GOOD });
    expect(r.actions).toEqual([['status', { configArg: undefined, debug: false, dryRun: false }]]);
  });

  test('a missing config: exit 1 before any action runs', async () => {
    expect(await run(['web.cf', 'stop'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `Config file web.cf not found (looked for /etc/ha.d/web.cf, /etc/ha.d/conf/web.cf, ${resolve('web.cf')})\n`,
      actions: [],
    });
  });

  test("the action's exit code is main's exit code", async () => {
    const code = await main(['start'], {
      exists: () => true,
      runAction: async () => 3,
      stdout: () => {},
      stderr: () => {},
    });
    expect(code).toBe(3);
  });
});

describe('usage, help, version', () => {
  test('no arguments: usage on stdout, exit 255', async () => {
    const r = await run([]);
    expect(r.code).toBe(255);
    expect(r.stdout).toMatch(
      /^Usage:\n {2}ldirectord \[-d\|--debug\] \[--dry-run\] \[--\] \[configfile\] start\|stop\|restart\|try-restart\|reload\|force-reload\|status\n/,
    );
    expect(r.stdout).toMatch(/-t, --test +Check the config file/);
    expect(r.stderr).toBe('');
  });

  test('unknown option: "Unknown option: x" and usage, exit 255', async () => {
    const r = await run(['-x', 'start']);
    expect([r.code, r.stderr, r.stdout.startsWith('Usage:')]).toEqual([255, 'Unknown option: x\n', true]);
  });

  test('unknown action: usage, exit 255', async () => {
    const r = await run(['web.cf', 'explode'], { '/etc/ha.d/web.cf': GOOD });
    expect([r.code, r.stderr, r.actions]).toEqual([255, 'Unknown action: explode\n', []]);
  });

  test('-h: usage on stdout, exit 0', async () => {
    const r = await run(['-h']);
    expect([r.code, r.stdout.startsWith('Usage:'), r.stderr]).toEqual([0, true, '']);
    expect(r.stdout).toContain('with -d (or supervised=yes) writes no pid file, so status says "stopped" for it.');
  });

  test('-v: the Linux Director banner naming ldirectord-ts, exit 0', async () => {
    const r = await run(['-v']);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(r.stdout.split('\n')[0]).toBe(`Linux Director v1.186-ha (ldirectord-ts ${pkg.version})`);
  });
});
