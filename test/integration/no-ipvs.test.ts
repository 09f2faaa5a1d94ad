// On a kernel without IPVS (this project's hosts: docs/decisions/003-guest-kernel.md), `ldirectord start` without
// --dry-run must fail with the client's reason, exit 1, and leave no pid file or process behind.

import { existsSync, readdirSync } from 'node:fs';
import { LAUNCHER, run, sandbox } from './support';

const HOST_HAS_IPVS = existsSync('/proc/net/ip_vs');

(HOST_HAS_IPVS ? describe.skip : describe)(
  'start on a kernel without IPVS (SKIPPED where the host kernel has IPVS)',
  () => {
    it('exits 1 with IPVS_UNAVAILABLE and cleans up', async () => {
      const s = sandbox();
      const r = await run(LAUNCHER, [s.cf, 'start'], { ...s.env, LDD_TEST_DIRECTOR_MODULE: '' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `ldirectord for ${s.cf} failed to start: cannot start the director: IPVS is not available in this kernel`,
      );
      expect(r.stderr).toContain('(IPVS_UNAVAILABLE)');
      expect(readdirSync(s.runDir)).toEqual([]);
      expect((await run(LAUNCHER, [s.cf, 'status'], s.env)).code).toBe(3);
    }, 60_000);
  },
);
