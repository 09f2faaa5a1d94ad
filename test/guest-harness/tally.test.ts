// The last line of scripts/test (scripts/tally/tally.ts): every listed file is counted, and one without a
// result counts as failed by name.
import { parseResults, tally, type FileResult } from '../../scripts/tally/tally';

const ok = (file: string, passed: number, extra: Partial<FileResult> = {}): FileResult => ({
  file,
  passed,
  failed: 0,
  skipped: 0,
  failedTitles: [],
  ...extra,
});

describe('tally', () => {
  test('sums both suites when every listed file has a result', () => {
    const t = tally(
      [{ name: 'lint', ok: true }],
      [
        {
          name: 'host',
          listed: ['a.test.ts', 'b.test.ts'],
          results: [ok('a.test.ts', 3), ok('b.test.ts', 2, { skipped: 1 })],
        },
        { name: 'guest', listed: ['g.test.ts'], results: [ok('g.test.ts', 4)] },
      ],
    );
    expect(t.lines.at(-1)).toBe('tests: 9 passed, 0 failed');
    expect(t.skipped).toBe(1);
  });

  test('a listed file with no result (the guest died, the suite timed out) counts as one failed test, by name', () => {
    const t = tally(
      [],
      [
        {
          name: 'guest',
          listed: ['test/guest/burst.test.ts', 'test/guest/witness.test.ts'],
          results: [ok('test/guest/witness.test.ts', 5)],
        },
      ],
    );
    expect(t.lines).toEqual([
      'FAILED guest test/guest/burst.test.ts: no result (the suite did not finish: timed out, crashed or never reached it)',
      'tests: 5 passed, 1 failed',
    ]);
  });

  test('failed tests are named; a file that could not run counts at least one failure', () => {
    const t = tally(
      [],
      [
        {
          name: 'host',
          listed: ['a.test.ts', 'b.test.ts'],
          results: [
            ok('a.test.ts', 1, { failed: 2, failedTitles: ['x works', 'y works'] }),
            ok('b.test.ts', 0, { error: 'Cannot find module' }),
          ],
        },
      ],
    );
    expect(t.lines).toEqual([
      'FAILED host a.test.ts: x works',
      'FAILED host a.test.ts: y works',
      'FAILED host b.test.ts: Cannot find module',
      'tests: 1 passed, 3 failed',
    ]);
  });

  test('a failed build, typecheck or lint step counts as one failure, by name', () => {
    const t = tally(
      [
        { name: 'typecheck', ok: false },
        { name: 'lint', ok: true },
      ],
      [{ name: 'host', listed: ['a.test.ts'], results: [ok('a.test.ts', 1)] }],
    );
    expect(t.lines).toEqual(['FAILED typecheck', 'tests: 1 passed, 1 failed']);
  });

  test('a suite skipped on purpose (no guest kernel outside CI) counts its files as skipped and says why', () => {
    const t = tally(
      [],
      [{ name: 'guest', listed: ['g1.test.ts', 'g2.test.ts'], results: [], skippedBecause: 'no guest kernel' }],
    );
    expect(t.lines).toEqual([
      'SKIPPED guest (2 files): no guest kernel',
      'skipped: 2 (see the SKIPPING warnings above)',
      'tests: 0 passed, 0 failed',
    ]);
  });

  test('parseResults ignores a torn last line, so that file counts as having no result', () => {
    const text = `${JSON.stringify(ok('a.test.ts', 1))}\n{"file":"b.te`;
    const t = tally([], [{ name: 'host', listed: ['a.test.ts', 'b.test.ts'], results: parseResults(text) }]);
    expect(t.lines.at(-1)).toBe('tests: 1 passed, 1 failed');
  });
});
