// The heartbeat v1 resource script: `resource.d/ldirectord <cfg> start|status|stop` through the real CLI.

import * as path from 'node:path';
import { DIRECTOR_NOTE, LAUNCHER, ROOT, run, sandbox } from './support';

const WRAPPER = path.join(ROOT, 'scripts', 'heartbeat', 'ldirectord');

describe(`heartbeat resource.d wrapper (${DIRECTOR_NOTE})`, () => {
  it('start, status (says running on stdout), stop, status (stopped, 3)', async () => {
    const s = sandbox();
    const env = { ...s.env, LDIRECTORD: LAUNCHER };
    expect((await run(WRAPPER, ['--dry-run', s.cf, 'start'], env)).code).toBe(0);
    const st = await run(WRAPPER, ['--dry-run', s.cf, 'status'], env);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(
      new RegExp(`^ldirectord for ${s.cf.replace(/\./g, '\\.')} is running with pid: \\d+\\n$`),
    );
    expect((await run(WRAPPER, ['--dry-run', s.cf, 'stop'], env)).code).toBe(0);
    const st2 = await run(WRAPPER, ['--dry-run', s.cf, 'status'], env);
    expect(st2).toMatchObject({ code: 3, stdout: `ldirectord is stopped for ${s.cf}\n` });
  }, 60_000);

  it('without arguments prints its usage and exits 1', async () => {
    const r = await run(WRAPPER, [], { PATH: '/usr/bin:/bin' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('usage:');
  });
});
