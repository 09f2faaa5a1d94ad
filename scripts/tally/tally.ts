// The last line of scripts/test, decided from what ran: every test file that was listed before the run is
// counted, and one with no result (its suite timed out, crashed, or the guest died before it ran) counts as
// one failed test, by name. Pure: the CLI beside it (main.ts) reads the files and prints.

/** One finished test file, as test/support/file-results-reporter.js writes it. */
export interface FileResult {
  readonly file: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failedTitles: readonly string[];
  readonly error?: string;
}

/** A step of the run that is not a jest file (typecheck, lint, build): failed steps count as one failure. */
export interface Step {
  readonly name: string;
  readonly ok: boolean;
}

export interface Suite {
  readonly name: string;
  /** The test files jest listed before the run (`--listTests`). */
  readonly listed: readonly string[];
  readonly results: readonly FileResult[];
  /** Why the whole suite was skipped on purpose (e.g. no guest kernel outside CI); its files then count as skipped. */
  readonly skippedBecause?: string;
}

export interface Tally {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Lines naming every failure and every skipped suite, then the count line last. */
  readonly lines: readonly string[];
}

export function tally(steps: readonly Step[], suites: readonly Suite[]): Tally {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const lines: string[] = [];
  for (const s of steps) {
    if (s.ok) continue;
    failed += 1;
    lines.push(`FAILED ${s.name}`);
  }
  for (const suite of suites) {
    const byFile = new Map(suite.results.map((r) => [r.file, r])); // a re-run file: its last result counts
    const files = [...new Set([...suite.listed, ...byFile.keys()])].sort();
    for (const file of files) {
      const r = byFile.get(file);
      if (r === undefined) {
        if (suite.skippedBecause !== undefined) {
          skipped += 1;
          continue;
        }
        failed += 1;
        lines.push(
          `FAILED ${suite.name} ${file}: no result (the suite did not finish: timed out, crashed or never reached it)`,
        );
        continue;
      }
      passed += r.passed;
      skipped += r.skipped;
      if (r.error !== undefined) {
        failed += Math.max(1, r.failed);
        lines.push(`FAILED ${suite.name} ${file}: ${r.error}`);
        continue;
      }
      failed += r.failed;
      for (const t of r.failedTitles) lines.push(`FAILED ${suite.name} ${file}: ${t}`);
    }
    if (suite.skippedBecause !== undefined)
      lines.push(`SKIPPED ${suite.name} (${suite.listed.length} files): ${suite.skippedBecause}`);
  }
  if (skipped > 0) lines.push(`skipped: ${skipped} (see the SKIPPING warnings above)`);
  lines.push(`tests: ${passed} passed, ${failed} failed`);
  return { passed, failed, skipped, lines };
}

/** Parses the reporter's JSON lines; a torn last line (the writer was killed mid-write) is ignored. */
export function parseResults(text: string): FileResult[] {
  const out: FileResult[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as FileResult);
    } catch {
      // a partial line from a killed run: that file has no result, and counts as such
    }
  }
  return out;
}
