// The OCF resource agent (scripts/ocf/ldirectord) against Debian's ocf-tester, driving the real CLI and the
// real detached daemon (pid files in a temp run dir via LDIRECTORD_RUN_DIR; --dry-run through the agent's
// `options` parameter, so no IPVS kernel is needed).

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DIRECTOR_NOTE, LAUNCHER, ROOT, run, sandbox } from './support';
import { processGone, waitFor } from '../daemon/support/wait';

const AGENT = path.join(ROOT, 'scripts', 'ocf', 'ldirectord');
const OCF_TESTER = '/usr/sbin/ocf-tester';

const raEnv = (s: ReturnType<typeof sandbox>): NodeJS.ProcessEnv => ({
  ...s.env,
  OCF_RESKEY_configfile: s.cf,
  OCF_RESKEY_ldirectord: LAUNCHER,
  OCF_RESKEY_options: '--dry-run',
  OCF_RESOURCE_INSTANCE: 'ldd',
});

describe(`OCF resource agent (${DIRECTOR_NOTE})`, () => {
  it('meta-data validates against ra-api-1.dtd', async () => {
    const r = await run(
      '/bin/sh',
      ['-c', `"${AGENT}" meta-data | (cd /usr/share/resource-agents && xmllint --noout --valid -)`],
      { PATH: '/usr/bin:/bin' },
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });

  it('passes ocf-tester', async () => {
    expect(existsSync(OCF_TESTER)).toBe(true);
    const s = sandbox();
    const r = await run(
      OCF_TESTER,
      ['-n', 'ldd', '-o', `configfile=${s.cf}`, '-o', `ldirectord=${LAUNCHER}`, '-o', 'options=--dry-run', AGENT],
      s.env,
      280_000,
    );
    expect(r.stdout + r.stderr).toContain(`${AGENT} passed all tests`);
    expect(r.code).toBe(0);
  }, 300_000);

  it('status mapping: stopped → 7, running → 0, stale pid file → 7, missing config → 5', async () => {
    const s = sandbox();
    const env = raEnv(s);
    expect((await run(AGENT, ['monitor'], env)).code).toBe(7);
    expect((await run(AGENT, ['start'], env)).code).toBe(0);
    expect((await run(AGENT, ['monitor'], env)).code).toBe(0);
    expect((await run(AGENT, ['stop'], env)).code).toBe(0);
    writeFileSync(path.join(s.runDir, `ldirectord.${path.basename(s.cf)}.pid`), '999999\n');
    expect((await run(AGENT, ['monitor'], env)).code).toBe(7);
    expect((await run(AGENT, ['monitor'], { ...env, OCF_RESKEY_configfile: path.join(s.dir, 'none.cf') })).code).toBe(
      5,
    );
    expect((await run(AGENT, ['frobnicate'], env)).code).toBe(3);
  }, 120_000);

  it('validate-all: 0 for a good config, 6 (OCF_ERR_CONFIGURED) for a broken one', async () => {
    const s = sandbox();
    const env = raEnv(s);
    expect((await run(AGENT, ['validate-all'], env)).code).toBe(0);
    writeFileSync(s.cf, 'bogus=1\n');
    expect((await run(AGENT, ['validate-all'], env)).code).toBe(6);
  }, 60_000);

  it('a broken config is OCF_ERR_CONFIGURED (6) from start, monitor and validate-all, and nothing is started', async () => {
    const s = sandbox();
    const env = raEnv(s);
    writeFileSync(s.cf, `${readFileSync(s.cf, 'utf8')}bogus=1\n`);
    for (const action of ['start', 'monitor', 'validate-all']) {
      const r = await run(AGENT, [action], env);
      expect({ action, code: r.code }).toEqual({ action, code: 6 });
      expect(r.stderr).toContain('bogus');
    }
    expect(readdirSync(s.runDir)).toEqual([]);
  }, 120_000);

  it('meta-data advertises op timeouts that fit a slow director (docs/deployment.md)', async () => {
    const r = await run(AGENT, ['meta-data'], { PATH: '/usr/bin:/bin' });
    const timeout = (action: string): number =>
      Number(new RegExp(`<action name="${action}"[^>]* timeout="(\\d+)s"`).exec(r.stdout)?.[1]);
    expect(timeout('start')).toBeGreaterThanOrEqual(120);
    expect(timeout('stop')).toBeGreaterThanOrEqual(60);
    expect(timeout('monitor')).toBeGreaterThanOrEqual(30);
    expect(timeout('validate-all')).toBeGreaterThanOrEqual(30);
  });

  it('stop finds the daemon by its command line when the config is broken, and it cleans up', async () => {
    const s = sandbox();
    const env = raEnv(s);
    expect((await run(AGENT, ['start'], env)).code).toBe(0);
    const pidFile = path.join(s.runDir, `ldirectord.${path.basename(s.cf)}.pid`);
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n', 1)[0]);
    writeFileSync(s.cf, `${readFileSync(s.cf, 'utf8')}bogus=1\n`);
    const mon = await run(AGENT, ['monitor'], env);
    expect(mon.code).toBe(6);
    expect(mon.stderr).toContain('has configuration errors');
    expect(existsSync(pidFile)).toBe(true);
    const stop = await run(AGENT, ['stop'], env);
    expect(stop.code).toBe(0);
    await waitFor(`pid ${pid} to exit`, () => processGone(pid));
    expect(existsSync(pidFile)).toBe(false);
  }, 120_000);
});
