// A check command whose grandchild escapes with `setsid` and keeps the check's stdout open (issue 12 item 1):
// the check ends (at its exit, or at its deadline), and with the cgroup cage nothing it started survives.
// Without a cage (no writable cgroup2) it still ends, bounded by STREAM_GRACE_MS; only the escapee lives on.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroup2Mount, findCheckCage, ownCgroup, type CheckCage } from '../../../src/health/checks/cgroup-cage';
import { createExternalCheck } from '../../../src/health/checks/external';
import { specFor } from '../spec-fixture';

let dir: string;
let cage: CheckCage | undefined;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ldts-reap-'));
  cage = await findCheckCage();
});
afterAll(() => {
  for (const pid of withMarker('ldts-reap-')) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Live processes whose command line contains `marker` (zombies have an empty cmdline). */
function withMarker(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) found.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** A script that leaves `setsid sleep` behind holding its stdout; the sleep's argv carries a unique marker. */
function escaper(name: string, tail: string): { cmd: string; marker: string } {
  const marker = `${dir}/${name}`;
  const cmd = join(dir, `${name}.sh`);
  // sleep's argv[0] via exec -a is not POSIX sh; a second, ignored argument carries the marker instead.
  writeFileSync(cmd, `#!/bin/sh\nsetsid sh -c 'sleep 100000' "${marker}" &\n${tail}\n`);
  chmodSync(cmd, 0o755);
  return { cmd, marker };
}

const never = () => new AbortController().signal;
const caged = () => createExternalCheck({ cage: Promise.resolve(cage) });

test('mountinfo and /proc/self/cgroup parsing', () => {
  const mountinfo = [
    '30 23 0:26 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
    '35 23 0:31 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  ].join('\n');
  expect(cgroup2Mount(mountinfo)).toBe('/sys/fs/cgroup/unified');
  expect(cgroup2Mount('30 23 0:26 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu')).toBeUndefined();
  expect(ownCgroup('4:memory:/x\n0::/system.slice/ldirectord.service\n')).toBe('/system.slice/ldirectord.service');
  expect(ownCgroup('4:memory:/x\n')).toBeUndefined();
});

test('this test host has a cgroup2 cage (root, cgroup2 mounted): the tests below use it', () => {
  expect(cage).toBeDefined();
});

test('caged: the command exits 0 leaving a setsid grandchild on its stdout → up, and the grandchild is gone', async () => {
  const { cmd, marker } = escaper('exit0', 'exit 0');
  const r = await caged()(specFor({ checktype: { kind: 'external' }, checkcommand: cmd }), never());
  expect(r).toMatchObject({ ok: true });
  expect(r.reason).toMatch(/: exit status 0$/);
  expect(withMarker(marker)).toEqual([]);
});

test('caged: a command that hangs with a setsid grandchild ends at its deadline, and nothing survives', async () => {
  const { cmd, marker } = escaper('hang', 'sleep 100000');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 500);
  const r = await caged()(
    specFor({ checktype: { kind: 'external' }, checkcommand: cmd, checktimeout: 1 }),
    controller.signal,
  );
  clearTimeout(timer);
  expect(r.ok).toBe(false);
  expect(r.reason).toBe(`external ${cmd} 127.0.0.100 80 127.0.0.1 80: timed out after 1 s, its processes killed`);
  expect(withMarker(marker)).toEqual([]);
});

test('caged: a missing command is still "cannot run: ENOENT"', async () => {
  const r = await caged()(specFor({ checktype: { kind: 'external' }, checkcommand: join(dir, 'missing') }), never());
  expect(r.ok).toBe(false);
  expect(r.reason).toContain('cannot run: ENOENT');
});

test('caged: the cell is removed after the check', async () => {
  const { cmd } = escaper('cells', 'exit 0');
  const mount = cgroup2Mount(readFileSync('/proc/self/mountinfo', 'utf8')) as string;
  const base = join(mount, ownCgroup(readFileSync('/proc/self/cgroup', 'utf8')) as string);
  const mine = () => readdirSync(base).filter((n) => n.startsWith(`ldirectord-check.${process.pid}.`));
  await caged()(specFor({ checktype: { kind: 'external' }, checkcommand: cmd }), never());
  expect(mine()).toEqual([]);
});

test("uncaged: the grandchild holding stdout no longer holds the check (it ends at the command's exit)", async () => {
  const { cmd } = escaper('uncaged', 'exit 0');
  const r = await createExternalCheck({ cage: Promise.resolve(undefined) })(
    specFor({ checktype: { kind: 'external' }, checkcommand: cmd }),
    never(),
  );
  expect(r).toMatchObject({ ok: true });
});
