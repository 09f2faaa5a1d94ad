import { mkdtempSync, mkdirSync, promises as fs, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  configName,
  parsePid,
  pidFilePath,
  readPidState,
  removePidFile,
  removeStalePidFile,
  writePidFile,
  type PidFs,
} from '../../src/daemon/pidfile';

const realFs: PidFs = {
  readFile: (f, e) => fs.readFile(f, e),
  writeFile: (f, d, o) => fs.writeFile(f, d, o),
  rename: (a, b) => fs.rename(a, b),
  unlink: (f) => fs.unlink(f),
};

function fakeProc(entries: Record<number, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ldd-proc-'));
  for (const [pid, cmdline] of Object.entries(entries)) {
    mkdirSync(path.join(root, pid));
    writeFileSync(path.join(root, pid, 'cmdline'), cmdline);
  }
  return root;
}

describe('pid file names (docs/behaviour.md §1.2)', () => {
  it.each([
    [undefined, '/var/run/ldirectord.ldirectord.pid'],
    ['ldirectord.cf', '/var/run/ldirectord.ldirectord.cf.pid'],
    ['/etc/ha.d/ldirectord.cf', '/var/run/ldirectord.ldirectord.cf.pid'],
    ['conf/web.cf', '/var/run/ldirectord.web.cf.pid'],
  ])('config argument %p → %s', (arg, expected) => {
    expect(pidFilePath('/var/run', arg)).toBe(expected);
  });

  it('CFGNAME is ldirectord without an argument, the basename as typed otherwise', () => {
    expect(configName(undefined)).toBe('ldirectord');
    expect(configName('')).toBe('ldirectord');
    expect(configName('./x/y.cf')).toBe('y.cf');
  });

  it('parses only a plain decimal pid', () => {
    expect(parsePid('1234\n')).toBe(1234);
    expect(parsePid('  77 ')).toBe(77);
    expect(parsePid('0')).toBeUndefined();
    expect(parsePid('12ab')).toBeUndefined();
    expect(parsePid('')).toBeUndefined();
    expect(parsePid('-5')).toBeUndefined();
  });
});

describe('pid file state', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ldd-run-'));
  const proc = fakeProc({ 100: 'node\0/usr/sbin/ldirectord\0ldirectord.cf\0start\0', 200: '/usr/sbin/nginx\0' });

  it('no file → stopped', async () => {
    expect(await readPidState(realFs, path.join(dir, 'none.pid'), proc)).toEqual({
      state: 'stopped',
      file: path.join(dir, 'none.pid'),
    });
  });

  it('a live ldirectord → running', async () => {
    const f = path.join(dir, 'a.pid');
    writeFileSync(f, '100\n');
    expect(await readPidState(realFs, f, proc)).toEqual({ state: 'running', pid: 100, file: f });
  });

  it('a pid that is some other program, a dead pid, or garbage → stale', async () => {
    const f = path.join(dir, 'b.pid');
    writeFileSync(f, '200\n');
    expect(await readPidState(realFs, f, proc)).toEqual({ state: 'stale', pid: 200, file: f });
    writeFileSync(f, '300\n');
    expect(await readPidState(realFs, f, proc)).toEqual({ state: 'stale', pid: 300, file: f });
    writeFileSync(f, 'garbage');
    expect(await readPidState(realFs, f, proc)).toEqual({ state: 'stale', file: f });
  });

  it('writes atomically and leaves no temporary file', async () => {
    const d2 = mkdtempSync(path.join(tmpdir(), 'ldd-run-'));
    const f = path.join(d2, 'ldirectord.x.pid');
    await writePidFile(realFs, f, 4242);
    expect(readFileSync(f, 'utf8')).toBe('4242\n');
    expect(readdirSync(d2)).toEqual(['ldirectord.x.pid']);
  });

  it('a write failure is a PIDFILE_WRITE error naming the file', async () => {
    const f = path.join(dir, 'missing-dir', 'x.pid');
    await expect(writePidFile(realFs, f, 1)).rejects.toMatchObject({
      code: 'PIDFILE_WRITE',
      message: expect.stringContaining(f),
    });
  });

  it('removes the file only when it still names the given pid', async () => {
    const f = path.join(dir, 'c.pid');
    writeFileSync(f, '100\n');
    expect(await removePidFile(realFs, f, 999)).toBe(false);
    expect(existsSync(f)).toBe(true);
    expect(await removePidFile(realFs, f, 100)).toBe(true);
    expect(existsSync(f)).toBe(false);
    expect(await removePidFile(realFs, f, 100)).toBe(false);
  });

  it("removeStalePidFile never touches a running daemon's file", async () => {
    const live = path.join(dir, 'd.pid');
    const stale = path.join(dir, 'e.pid');
    writeFileSync(live, '100\n');
    writeFileSync(stale, '300\n');
    await removeStalePidFile(realFs, live, proc);
    await removeStalePidFile(realFs, stale, proc);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(stale)).toBe(false);
  });
});
