// scripts/install-deps leaves the machine's service policy as it found it: the policy-rc.d it writes so that
// packaged daemons do not start during the install is gone afterwards (success or failure), and one that was
// there before is left alone. apt-get, dpkg-query and debconf are replaced by stubs on PATH.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const script = resolve(__dirname, '../../scripts/install-deps');

function stubs(aptStatus: number): { dir: string; policy: string; seen: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ldts-deps-'));
  const policy = join(dir, 'policy-rc.d');
  const seen = join(dir, 'seen');
  const stub = (name: string, body: string): void => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  stub('dpkg-query', 'exit 1'); // nothing installed
  stub('debconf-set-selections', 'cat >/dev/null');
  // apt-get records what policy-rc.d said while packages were being installed.
  stub(
    'apt-get',
    `[ "$1" = update ] && exit 0; if [ -x "${policy}" ]; then "${policy}"; echo "policy exit $?" > "${seen}"; fi; exit ${aptStatus}`,
  );
  return { dir, policy, seen };
}

function install(s: { dir: string; policy: string }): number | null {
  const r = spawnSync('bash', [script], {
    env: { PATH: `${s.dir}:/usr/bin:/bin`, POLICY_RC_D: s.policy },
    encoding: 'utf8',
  });
  return r.status;
}

const asRoot = process.getuid?.() === 0 ? test : test.skip; // without root the script would call sudo

describe('scripts/install-deps and policy-rc.d', () => {
  asRoot('writes a policy-rc.d that refuses service starts during the install, and removes it afterwards', () => {
    const s = stubs(0);
    expect(install(s)).toBe(0);
    expect(readFileSync(s.seen, 'utf8')).toBe('policy exit 101\n');
    expect(existsSync(s.policy)).toBe(false);
    rmSync(s.dir, { recursive: true });
  });

  asRoot('removes it when the install fails too', () => {
    const s = stubs(100);
    expect(install(s)).toBe(100);
    expect(readFileSync(s.seen, 'utf8')).toBe('policy exit 101\n');
    expect(existsSync(s.policy)).toBe(false);
    rmSync(s.dir, { recursive: true });
  });

  asRoot('leaves a policy-rc.d that was there before as it was', () => {
    const s = stubs(0);
    writeFileSync(s.policy, '#!/bin/sh\nexit 0\n');
    chmodSync(s.policy, 0o755);
    expect(install(s)).toBe(0);
    expect(readFileSync(s.policy, 'utf8')).toBe('#!/bin/sh\nexit 0\n');
    rmSync(s.dir, { recursive: true });
  });
});
