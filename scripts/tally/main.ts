// CLI for tally.ts, run by scripts/test:
//   tsx scripts/tally/main.ts [--step NAME=STATUS]... [--suite NAME LIST RESULTS SKIP_FILE]...
// LIST holds one test path per line (jest --listTests, relative to the repository); RESULTS the reporter's
// JSON lines. A SKIP_FILE (or -) that exists holds why that suite was skipped on purpose. Prints the lines;
// exits 1 when anything failed.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseResults, tally, type Step, type Suite } from './tally';

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
const root = path.resolve(__dirname, '../..');

const steps: Step[] = [];
const suites: Suite[] = [];
const args = process.argv.slice(2);
while (args.length > 0) {
  const flag = args.shift();
  if (flag === '--step') {
    const [name = '', status = ''] = (args.shift() ?? '').split('=');
    steps.push({ name, ok: status === '0' });
  } else if (flag === '--suite') {
    const [name = '', list = '', results = '', skip = ''] = args.splice(0, 4);
    const listed = read(list)
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => path.relative(root, path.resolve(root, l)));
    const reason = skip !== '' && skip !== '-' && existsSync(skip) ? read(skip).trim() || 'skipped' : undefined;
    suites.push({
      name,
      listed,
      results: parseResults(read(results)),
      ...(reason !== undefined ? { skippedBecause: reason } : {}),
    });
  } else {
    console.error(`tally: unknown argument '${flag}'`);
    process.exit(2);
  }
}
const t = tally(steps, suites);
for (const l of t.lines) console.log(l);
process.exit(t.failed > 0 ? 1 : 0);
