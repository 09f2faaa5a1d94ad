// The overrides file: its format (pure), and loading/saving through an in-memory file system that records
// what was done, so the atomic replace (write a temporary file, then rename) is visible.
import { overridesFilePath } from '../../../src/daemon/pidfile';
import {
  loadOverrides,
  parseOverrides,
  saveOverrides,
  serializeOverrides,
  type OverrideFs,
} from '../../../src/observe/actions/override-store';
import type { OverrideKind } from '../../../src/observe/actions/overrides';

const F = '/run/ldirectord.ldirectord.cf.overrides.json';

function memoryFs(files: Record<string, string> = {}, fail: Partial<Record<keyof OverrideFs, string>> = {}) {
  const ops: string[] = [];
  const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });
  const fs: OverrideFs = {
    readFile: async (f) => {
      if (fail.readFile !== undefined) throw err(fail.readFile);
      if (!(f in files)) throw err('ENOENT');
      return files[f] as string;
    },
    writeFile: async (f, d) => {
      ops.push(`write ${f}`);
      if (fail.writeFile !== undefined) throw err(fail.writeFile);
      files[f] = d;
    },
    rename: async (a, b) => {
      ops.push(`rename ${a} ${b}`);
      if (fail.rename !== undefined) throw err(fail.rename);
      files[b] = files[a] as string;
      delete files[a];
    },
    syncDir: async (d) => void ops.push(`fsync ${d}`),
    unlink: async (f) => {
      ops.push(`unlink ${f}`);
      delete files[f];
    },
  };
  return { fs, files, ops };
}

test('the file sits beside the pid file, named after the config', () => {
  expect(overridesFilePath('/run', '/etc/ha.d/ldirectord.cf')).toBe('/run/ldirectord.ldirectord.cf.overrides.json');
  expect(overridesFilePath('/run', undefined)).toBe('/run/ldirectord.ldirectord.overrides.json');
});

test('serialize → parse is the identity, with ids sorted for stable files', () => {
  const m = new Map<string, OverrideKind>([
    ['tcp:10.0.0.1:80|10.0.1.2:80', 'maintenance'],
    ['tcp:10.0.0.1:80|10.0.1.1:80', 'drain'],
  ]);
  const text = serializeOverrides(m);
  expect(text).toBe(
    '{\n  "version": 1,\n  "overrides": {\n    "tcp:10.0.0.1:80|10.0.1.1:80": "drain",\n    "tcp:10.0.0.1:80|10.0.1.2:80": "maintenance"\n  }\n}\n',
  );
  expect(parseOverrides(text, F)).toEqual({ overrides: m, errors: [] });
});

test.each([
  [
    'not JSON',
    '{"version": 1,',
    /^\/run\/ldirectord\.ldirectord\.cf\.overrides\.json: not valid JSON \(.+\); no operator overrides restored$/,
  ],
  ['another shape', '[1, 2]', /: expected \{"version": 1, "overrides": \{\.\.\.\}\}; no operator overrides restored$/],
  ['another version', '{"version": 2, "overrides": {}}', /: expected \{"version": 1/],
])('%s: nothing restored, one error naming the file', (_name, text, error) => {
  const r = parseOverrides(text, F);
  expect(r.overrides.size).toBe(0);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]).toMatch(error);
});

test('an entry of an unknown kind is dropped with an error; the others are kept', () => {
  const r = parseOverrides('{"version": 1, "overrides": {"a|b": "drain", "c|d": "weight 5"}}', F);
  expect([...r.overrides]).toEqual([['a|b', 'drain']]);
  expect(r.errors).toEqual([`${F}: override of "c|d" is "weight 5", not "drain" or "maintenance"; ignored`]);
});

test('loading: no file is no overrides and no error; an unreadable one is an error naming the file', async () => {
  expect(await loadOverrides(memoryFs().fs, F)).toEqual({ overrides: new Map(), errors: [] });
  const r = await loadOverrides(memoryFs({}, { readFile: 'EACCES' }).fs, F);
  expect(r.errors).toEqual([`${F}: cannot read it (EACCES); no operator overrides restored`]);
});

test('saving writes (and fsyncs) a temporary file, renames it over the old one, then fsyncs the directory', async () => {
  const m = memoryFs({ [F]: 'old' });
  await saveOverrides(m.fs, F, new Map([['a|b', 'drain']]));
  expect(m.ops).toEqual([`write ${F}.tmp`, `rename ${F}.tmp ${F}`, 'fsync /run']);
  expect(parseOverrides(m.files[F] as string, F).overrides).toEqual(new Map([['a|b', 'drain']]));
  expect(Object.keys(m.files)).toEqual([F]);
});

test('a failed write or rename leaves the old file untouched and no temporary file behind', async () => {
  for (const fail of [{ writeFile: 'ENOSPC' }, { rename: 'EIO' }]) {
    const m = memoryFs({ [F]: 'old' }, fail);
    m.files[`${F}.tmp`] = ''; // what a write that ran out of space leaves
    await expect(saveOverrides(m.fs, F, new Map())).rejects.toThrow(Object.values(fail)[0]);
    expect(m.files).toEqual({ [F]: 'old' });
    expect(m.ops).not.toContain('fsync /run');
  }
});
