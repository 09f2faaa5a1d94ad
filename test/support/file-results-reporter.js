// A jest reporter that appends one JSON line per finished test file to the file named by
// $TEST_RESULTS_FILE (nothing when unset). Unlike --json, which is written once at the very end, the lines
// written so far survive a run that is killed half way (a timed-out or crashed guest), so scripts/test can
// tell which files finished and name those that did not (scripts/tally/tally.ts).
const fs = require('node:fs');
const path = require('node:path');

class FileResultsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.out = process.env.TEST_RESULTS_FILE;
  }

  onTestResult(test, result) {
    if (!this.out) return;
    const line = {
      file: path.relative(this.rootDir, test.path),
      passed: result.numPassingTests,
      failed: result.numFailingTests,
      skipped: result.numPendingTests + result.numTodoTests,
      failedTitles: result.testResults.filter((t) => t.status === 'failed').map((t) => t.fullName),
      error: result.testExecError ? String(result.testExecError.message).split('\n')[0] : undefined,
    };
    fs.appendFileSync(this.out, `${JSON.stringify(line)}\n`);
  }
}

module.exports = FileResultsReporter;
