import {
  actionSettings,
  detachedDaemonArgs,
  executeFlags,
  foregroundRunOptions,
} from '../../src/daemon/process/system-options';
import { DEFAULT_RUN_DIR } from '../../src/daemon/pidfile';
import type { Config } from '../../src/model/config';

describe('the composition root’s settings', () => {
  it('defaults the run directory, /proc and the time budgets', () => {
    expect(actionSettings({}, {})).toEqual({
      runDir: DEFAULT_RUN_DIR,
      procRoot: '/proc',
      readyTimeoutMs: 120_000,
      stopTimeoutMs: 30_000,
      forceSupervised: false,
    });
  });

  it('takes the run directory and supervised mode from the environment, options first', () => {
    const env = { LDIRECTORD_RUN_DIR: '/tmp/run', LDIRECTORD_SUPERVISED: 'yes' };
    expect(actionSettings({}, env)).toMatchObject({ runDir: '/tmp/run', forceSupervised: true });
    expect(actionSettings({ runDir: '/x', stopTimeoutMs: 5 }, env)).toMatchObject({ runDir: '/x', stopTimeoutMs: 5 });
    expect(actionSettings({}, { LDIRECTORD_SUPERVISED: 'no' }).forceSupervised).toBe(false);
  });

  it('shapes a start request into the detached and the foreground daemon’s options', () => {
    const s = actionSettings({ runDir: '/r', procRoot: '/p' }, {});
    const req = { configFile: '/etc/ha.d/x.cf', configArg: 'x.cf', dryRun: true };
    const self = { command: '/usr/bin/node', args: ['/usr/sbin/ldirectord'] };
    expect(detachedDaemonArgs(req, s, self)).toEqual({ ...req, runDir: '/r', procRoot: '/p', self });
    expect(foregroundRunOptions(req, s)).toEqual({ ...req, mode: 'foreground', runDir: '/r', procRoot: '/p' });
    // A start request carries the config the CLI loaded: the foreground daemon starts from it.
    const config = { file: '/etc/ha.d/x.cf' } as unknown as Config;
    expect(foregroundRunOptions({ ...req, config }, s).preloaded).toEqual({ ok: true, config });
  });

  it('starts execute= sub-instances of a dry run as dry runs', () => {
    expect(executeFlags(true)).toEqual(['--dry-run']);
    expect(executeFlags(false)).toEqual([]);
  });
});
