// The layers of src/, bottom up, and the rule that an import never runs up a layer: a folder may import its own
// files and any folder below it. docs/architecture.md draws the same order; the last test keeps the two equal.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

/** Bottom first. The one definition of the order. */
const LAYERS = [
  'model',
  'ipvs',
  'config',
  'health',
  'sync',
  'announce',
  'reconcile',
  'observe',
  'daemon',
  'cli',
] as const;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : name.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative module a file names: `from '…'`, `import('…')`, `require('…')`, `import '…'`. */
function relativeImports(text: string): string[] {
  const found = text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)'(\.{1,2}\/[^']*)'/gm);
  return [...found].map((m) => m[1]!);
}

function layerOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0]!;
}

/** `from → to` for every import in src/ that names a higher layer (or a folder outside the order). */
function upwardImports(sources: ReadonlyArray<{ readonly file: string; readonly text: string }>): string[] {
  const rank = (l: string): number => LAYERS.indexOf(l as (typeof LAYERS)[number]);
  const bad: string[] = [];
  for (const { file, text } of sources) {
    const from = layerOf(file);
    for (const spec of relativeImports(text)) {
      const to = layerOf(path.resolve(path.dirname(file), spec));
      if (to === from) continue;
      if (rank(from) < 0 || rank(to) < 0 || rank(to) > rank(from))
        bad.push(`${path.relative(ROOT, file)}: ${from} → ${to} ('${spec}')`);
    }
  }
  return bad;
}

test('every folder under src/ has a place in the order', () => {
  const folders = readdirSync(SRC).filter((n) => statSync(path.join(SRC, n)).isDirectory());
  expect([...folders].sort()).toEqual([...LAYERS].sort());
});

test('no import in src/ runs up a layer', () => {
  const files = filesUnder(SRC);
  expect(files.length).toBeGreaterThan(100);
  expect(upwardImports(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })))).toEqual([]);
});

test('the scanner sees every import form and the rule catches an upward import', () => {
  const text = [
    "import type { A } from '../reconcile/plan';",
    "import { b } from './local';",
    "const c = require('../daemon/actions') as typeof import('../daemon/actions');",
    "import '../observe/log/logger';",
  ].join('\n');
  expect(relativeImports(text)).toEqual([
    '../reconcile/plan',
    './local',
    '../daemon/actions',
    '../daemon/actions',
    '../observe/log/logger',
  ]);
  // The kind of edge the rule exists for, and one that is allowed.
  const probe = path.join(SRC, 'health', 'probe.ts');
  expect(upwardImports([{ file: probe, text }])).toEqual([
    "src/health/probe.ts: health → reconcile ('../reconcile/plan')",
    "src/health/probe.ts: health → daemon ('../daemon/actions')",
    "src/health/probe.ts: health → daemon ('../daemon/actions')",
    "src/health/probe.ts: health → observe ('../observe/log/logger')",
  ]);
  expect(upwardImports([{ file: probe, text: "import type { Config } from '../model/config';" }])).toEqual([]);
});

test('docs/architecture.md states the same order', () => {
  const doc = readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
  expect(doc).toContain(`Layers, bottom up: ${LAYERS.join(' < ')}`);
});
