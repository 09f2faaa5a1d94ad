// The ldirectord command says what it did: start, stop and reload report success on stderr (stdout is kept
// for what scripts read: the status table, "stopped"), a second start
// says the daemon is already running, and status with a broken config on disk still reports the running
// daemon (then exits 2, as ldirectord did). Exit codes are ldirectord's.
import { readFileSync, writeFileSync } from 'node:fs';
import { runAction } from '../../src/daemon/actions';
import { pidFilePath } from '../../src/daemon/pidfile';
import { BAD_CF, GOOD_CF, configFile, fakeSystem } from '../daemon/support/fake-system';

const opts = (configArg: string) => ({ configArg, debug: false });

describe('the CLI says what it did', () => {
  test('start, a second start, reload, stop, stop again', async () => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    expect(await runAction('start', opts(cf), s.deps)).toBe(0);
    const pid = Number(readFileSync(pidFilePath(s.runDir, cf), 'utf8'));
    expect(s.err.splice(0)).toEqual([`ldirectord for ${cf} started with pid: ${pid}\n`]);

    expect(await runAction('start', opts(cf), s.deps)).toBe(0);
    expect(s.err.splice(0)).toEqual([`ldirectord for ${cf} is already running with pid: ${pid}\n`]);
    expect(s.started).toHaveLength(1);

    expect(await runAction('reload', opts(cf), s.deps)).toBe(0);
    expect(s.err.splice(0)).toEqual([
      `ldirectord for ${cf} (pid ${pid}) asked to reload its configuration (checked: valid); its log says when it is applied\n`,
    ]);

    expect(await runAction('stop', opts(cf), s.deps)).toBe(0);
    expect(s.err.splice(0)).toEqual([`ldirectord for ${cf} (pid ${pid}) stopped\n`]);
    expect(await runAction('stop', opts(cf), s.deps)).toBe(0);
    expect(s.err.splice(0)).toEqual([`ldirectord is stopped for ${cf}\n`]);
  });

  test('status with a broken config on disk: the errors, then the running daemon, exit 2', async () => {
    const s = fakeSystem();
    const cf = configFile(GOOD_CF);
    await runAction('start', opts(cf), s.deps);
    const pid = Number(readFileSync(pidFilePath(s.runDir, cf), 'utf8'));
    writeFileSync(cf, BAD_CF);
    s.err.splice(0);
    expect(await runAction('status', opts(cf), s.deps)).toBe(2);
    expect(s.err[s.err.length - 1]).toBe(
      `ldirectord for ${cf} is running with pid: ${pid} (the configuration on disk has errors, listed above)\n`,
    );
    expect(s.err[0]).toMatch(/E_UNKNOWN_DIRECTIVE/);
  });

  test('status with a broken config and no daemon: stopped, exit 2', async () => {
    const s = fakeSystem();
    const cf = configFile(BAD_CF);
    expect(await runAction('status', opts(cf), s.deps)).toBe(2);
    expect(s.err[s.err.length - 1]).toBe(`ldirectord is stopped for ${cf}\n`);
  });
});
