// test/support/requirements.js: host files whose Debian program is missing are left out loudly, except
// under CI, where they run (and fail).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requirements = require('../support/requirements') as {
  NEEDS: Record<string, string[]>;
  skipMissing(rootDir: string): string[];
};

const repo = resolve(__dirname, '../..');

describe('requirements', () => {
  const saved = { ci: process.env.CI, needs: { ...requirements.NEEDS } };
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    requirements.NEEDS['test/made-up.test.ts'] = ['no-such-program-ldts'];
  });
  afterEach(() => {
    stderr.mockRestore();
    for (const k of Object.keys(requirements.NEEDS)) if (!(k in saved.needs)) delete requirements.NEEDS[k];
    if (saved.ci === undefined) delete process.env.CI;
    else process.env.CI = saved.ci;
  });

  test('a file whose program is missing is ignored, with a loud warning naming the file and the program', () => {
    delete process.env.CI;
    const patterns = requirements.skipMissing('/repo');
    expect(patterns).toContain('^/repo/test/made-up\\.test\\.ts$');
    const said = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(said).toContain('SKIPPING');
    expect(said).toContain('test/made-up.test.ts: no no-such-program-ldts');
  });

  test('under CI=true nothing is ignored and nothing is said: the file runs and fails', () => {
    process.env.CI = 'true';
    expect(requirements.skipMissing('/repo')).toEqual([]);
    expect(stderr).not.toHaveBeenCalled();
  });

  test('no file in the table skips itself (under CI a missing program must fail its file, not hide it)', () => {
    const selfSkipping = Object.keys(saved.needs)
      .filter((f) => existsSync(join(repo, f)))
      .filter((f) => /\b(?:describe|it|test)\.skip\b|\?\s*describe\s*:/.test(readFileSync(join(repo, f), 'utf8')));
    expect(selfSkipping).toEqual([]);
  });

  test('every file in the table exists (a renamed test would otherwise never be skipped)', () => {
    const missing = Object.keys(saved.needs).filter((f) => !existsSync(join(repo, f)));
    expect(missing).toEqual([]);
  });
});
