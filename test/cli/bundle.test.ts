// The bundled entry points that `npm run build` writes to dist/bundle (docs/decisions/018-bundled-entry-points.md):
// bin/ldirectord runs the CLI from one file of ours, and the worker thread's bundle starts and says it is ready.
// (The detached daemon child's bundle, dist/bundle/daemon-main.js, runs in every test that starts the built
// daemon with `start`.)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'bundle');
const BUILT = existsSync(path.join(BUNDLE, 'ldirectord.js'));

test('the bundles exist (run `npm run build` before this suite)', () => {
  expect(BUILT).toBe(true);
});

(BUILT ? test : test.skip)('bin/ldirectord loads one file of ours, the bundle, and it works', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ldts-bundle-'));
  try {
    const probe = path.join(dir, 'probe.cjs');
    const out = path.join(dir, 'loaded.json');
    writeFileSync(
      probe,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`,
    );
    const cf = path.join(ROOT, 'conf.d', 'example.cf');
    const text = execFileSync(process.execPath, ['--require', probe, path.join(ROOT, 'bin', 'ldirectord'), '-t', cf], {
      encoding: 'utf8',
    });
    expect(text).toContain('configuration OK');
    const loaded = (JSON.parse(readFileSync(out, 'utf8')) as string[]).filter(
      (f) => f.startsWith(ROOT) && !f.includes(`${path.sep}node_modules${path.sep}`) && f !== probe,
    );
    expect(loaded.map((f) => path.relative(ROOT, f)).sort()).toEqual(['bin/ldirectord', 'dist/bundle/ldirectord.js']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

(BUILT ? test : test.skip)("the worker thread's bundle starts and sends its ready message", () => {
  const script = `
    const { Worker } = require('node:worker_threads');
    const w = new Worker(${JSON.stringify(path.join(BUNDLE, 'worker-main.js'))});
    w.once('message', (m) => { process.stdout.write(JSON.stringify(m)); w.terminate(); });
    w.once('error', (e) => { process.stderr.write(String(e)); process.exit(1); });`;
  const first = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
    answers: unknown[];
  };
  expect(first.answers).toEqual([]);
});
