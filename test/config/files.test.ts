// The loader on the real file system: only regular files are read (a FIFO or a link to /dev/zero in conf.d is
// an error naming its path, never a blocked open or an endless read), files are size-capped, the number of
// reported errors is capped with the rest counted, and an echoed name never makes a huge error line.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic, loadConfig, type LoadResult } from '../../src/config/load';
import { MAX_MESSAGE, MAX_REPORTED } from '../../src/config/diagnostics';
import { MAX_CONFIG_BYTES, readConfigFile } from '../../src/config/read-file';
import { fakeResolver } from './helpers';

const FRAGMENT = 'virtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n';

describe('config files on disk', () => {
  let dir: string;
  let main: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ld-files-'));
    mkdirSync(join(dir, 'conf.d'));
    main = join(dir, 'ldirectord.cf');
    writeFileSync(main, 'checktimeout=3\nconfdir=conf.d\n');
    writeFileSync(join(dir, 'conf.d', 'web.cf'), FRAGMENT);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (): Promise<LoadResult> => loadConfig(main, { resolver: fakeResolver() });
  const errorsOf = (r: LoadResult): string[] => (r.ok ? [] : r.errors.map(formatDiagnostic));

  test('a FIFO in conf.d is an error with its path, and the load finishes (no blocked open)', async () => {
    const fifo = join(dir, 'conf.d', 'fifo.cf');
    execFileSync('mkfifo', [fifo]);
    const r = await load();
    expect(r.ok).toBe(false);
    expect(errorsOf(r)).toEqual([`${fifo}:1:1: E_NOT_REGULAR ${fifo} is a FIFO, not a regular file`]);
  });

  test('a fragment that is a symlink to /dev/zero is refused before a byte is read', async () => {
    const zero = join(dir, 'conf.d', 'zero.cf');
    symlinkSync('/dev/zero', zero);
    const r = await load();
    expect(errorsOf(r)).toEqual([`${zero}:1:1: E_NOT_REGULAR ${zero} is a character device, not a regular file`]);
  });

  test('a directory named like a fragment is refused by name', async () => {
    const d = join(dir, 'conf.d', 'sub.cf');
    mkdirSync(d);
    const r = await load();
    expect(errorsOf(r)).toEqual([`${d}:1:1: E_NOT_REGULAR ${d} is a directory, not a regular file`]);
  });

  test('a file over the size cap is refused with the cap in the message', async () => {
    const big = join(dir, 'conf.d', 'big.cf');
    writeFileSync(big, Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x23)); // all '#': a comment, were it read
    const r = await load();
    expect(errorsOf(r)).toEqual([
      `${big}:1:1: E_TOO_LARGE ${big} is larger than the ${MAX_CONFIG_BYTES}-byte limit for a config file (${MAX_CONFIG_BYTES + 1} bytes or more)`,
    ]);
  });

  test('readConfigFile reads a file exactly at the cap, and refuses one byte more', async () => {
    const f = join(dir, 'x.cf');
    writeFileSync(f, 'a'.repeat(1000));
    await expect(readConfigFile(f, 1000)).resolves.toHaveLength(1000);
    writeFileSync(f, 'a'.repeat(1001));
    await expect(readConfigFile(f, 1000)).rejects.toMatchObject({ code: 'E_TOO_LARGE' });
  });

  test('garbage: at most MAX_REPORTED errors are listed, then one line counts the rest', async () => {
    writeFileSync(main, Array.from({ length: 5000 }, (_, i) => `garbage line ${i}`).join('\n'));
    const r = await load();
    const errors = errorsOf(r);
    expect(errors).toHaveLength(MAX_REPORTED + 1);
    expect(errors[0]).toBe(`${main}:1:1: E_SYNTAX expected name=value, found "garbage line 0"`);
    expect(errors[MAX_REPORTED]).toBe(
      `${main}:${MAX_REPORTED}:1: E_MORE_ERRORS ... and ${5000 - MAX_REPORTED} more errors (only the first ${MAX_REPORTED} are listed)`,
    );
  });

  test('a 1 MB directive name makes a short error line', async () => {
    writeFileSync(main, `${'x'.repeat(1024 * 1024)}=1\n`);
    const r = await load();
    const errors = errorsOf(r);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/E_UNKNOWN_DIRECTIVE unknown directive "xxx/);
    expect(errors[0]!.length).toBeLessThan(MAX_MESSAGE + main.length + 100);
  });

  test('a good config still loads through the safe reader', async () => {
    const r = await load();
    expect(r.ok && r.config.virtuals.map((v) => v.id)).toEqual(['tcp:192.0.2.1:80']);
  });
});
