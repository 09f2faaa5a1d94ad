// main(): output streams and exit codes of each command, with the config files in memory and the action
// runner injected.

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
    expect(r).toEqual({ code: 0, stdout: '/etc/ha.d/web.cf: configuration OK (1 virtual services, 2 real servers)\n', stderr: '', actions: [] });
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

  test('a missing config: exit 1, "Config file X not found"', async () => {
    expect(await run(['-t', 'nope.cf'])).toEqual({ code: 1, stdout: '', stderr: 'Config file nope.cf not found\n', actions: [] });
    expect((await run(['-t'])).stderr).toBe('Config file ldirectord.cf not found\n');
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
    expect(await run(['web.cf', 'stop'])).toEqual({ code: 1, stdout: '', stderr: 'Config file web.cf not found\n', actions: [] });
  });

  test('the action\'s exit code is main\'s exit code', async () => {
    const code = await main(['start'], { exists: () => true, runAction: async () => 3, stdout: () => {}, stderr: () => {} });
    expect(code).toBe(3);
  });
});

describe('usage, help, version', () => {
  test('no arguments: usage on stdout, exit 255', async () => {
    const r = await run([]);
    expect(r.code).toBe(255);
    expect(r.stdout).toMatch(/^Usage:\n {2}ldirectord \[-d\|--debug\] \[--dry-run\] \[--\] \[configfile\] start\|stop\|restart\|try-restart\|reload\|force-reload\|status\n/);
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
  });

  test('-v: the Linux Director banner naming ldirectord-ts, exit 0', async () => {
    const r = await run(['-v']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Linux Director v1.186-ha (ldirectord-ts 0.1.0)');
  });
});
