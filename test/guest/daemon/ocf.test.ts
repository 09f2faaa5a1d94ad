// The integrations against the REAL kernel IPVS table (no --dry-run), inside the guest kernel: Debian's
// ocf-tester drives the OCF resource agent (start, monitor, stop, …), then the CLI's lifecycle actions are
// taken through status/start/restart/stop with ldirectord's exit codes, ipvsadm as the witness.
// Runs the compiled CLI (bin/ldirectord → dist/), which scripts/test builds before the guest suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'ldirectord');
const agent = path.join(root, 'scripts', 'ocf', 'ldirectord');
const env = {
  PATH: `${path.dirname(process.execPath)}:/usr/sbin:/usr/bin:/sbin:/bin`,
  OCF_ROOT: '/usr/lib/ocf',
  LDIRECTORD_RUN_DIR: '/run',
};

function run(cmd: string, args: string[], timeout = 240_000): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
const table = (): string => run('ipvsadm', ['-S', '-n']).out.trim();

describe('integrations on the real kernel', () => {
  let dir: string;
  let cfg: string;
  let log: string;

  beforeAll(() => {
    if (!existsSync(path.join(root, 'dist', 'cli', 'main.js')))
      throw new Error('dist/ is missing: run `npm run build` before the guest suite');
    dir = mkdtempSync('/tmp/ocf-');
    cfg = path.join(dir, 'lvs.cf');
    log = path.join(dir, 'l.log');
    writeFileSync(
      cfg,
      `checkinterval=1\nstatusaddress=none\nlogfile="${log}"\nvirtual=127.0.0.1:8080\n\treal=127.0.0.2:8080 masq\n\tchecktype=on\n`,
    );
  });
  afterAll(() => {
    run(bin, [cfg, 'stop']);
    rmSync(dir, { recursive: true, force: true });
  });

  test('ocf-tester passes the resource agent, and every start programs what every stop purges', () => {
    const r = run('ocf-tester', ['-n', 'lvs', '-o', `configfile=${cfg}`, '-o', `ldirectord=${bin}`, agent], 600_000);
    expect(r.out).toMatch(/passed all tests/);
    expect(r.status).toBe(0);
    expect(table()).toBe('');
    const lines = readFileSync(log, 'utf8').split('\n');
    const added = lines.filter((l) => l.includes('Added virtual server: 127.0.0.1:8080')).length;
    const purged = lines.filter((l) => l.includes('Purged virtual server (stop): 127.0.0.1:8080')).length;
    expect(added).toBeGreaterThanOrEqual(2);
    expect(purged).toBe(added);
  });

  test('status, start, restart, stop: exit codes and the table they leave', () => {
    expect(run(bin, [cfg, 'status']).status).toBe(3);
    expect(run(bin, [cfg, 'start']).status).toBe(0);
    expect(run(bin, [cfg, 'status']).status).toBe(0);
    expect(table()).toBe('-A -t 127.0.0.1:8080 -s wrr\n-a -t 127.0.0.1:8080 -r 127.0.0.2:8080 -m -w 1');
    expect(run(bin, [cfg, 'restart']).status).toBe(0);
    expect(run(bin, [cfg, 'status']).status).toBe(0);
    expect(table()).toBe('-A -t 127.0.0.1:8080 -s wrr\n-a -t 127.0.0.1:8080 -r 127.0.0.2:8080 -m -w 1');
    expect(run(bin, [cfg, 'stop']).status).toBe(0);
    expect(run(bin, [cfg, 'status']).status).toBe(3);
    expect(table()).toBe('');
  });
});
