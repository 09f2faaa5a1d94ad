// Every `docs/X.md §N` a source or test comment cites names a section that exists in that document, and no
// comment points outside the repository (a reader must be able to follow every reference from a clone).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : /\.(ts|js|sh)$/.test(name) ? [p] : [];
  });
}

const SOURCES = ['src', 'test', 'bench', 'scripts'].flatMap((d) => filesUnder(path.join(ROOT, d)));

function sectionsOf(doc: string): Set<string> {
  const text = readFileSync(path.join(ROOT, doc), 'utf8');
  return new Set([...text.matchAll(/^#{2,3} (\d+(?:\.\d+)?)[ .]/gm)].map((m) => m[1]!));
}

test('every cited docs section exists', () => {
  const missing: string[] = [];
  const sections = new Map<string, Set<string>>();
  let cited = 0;
  for (const file of SOURCES) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(docs\/[a-z0-9-]+\.md) §(\d+(?:\.\d+)?)/g)) {
      const [, doc, section] = m as unknown as [string, string, string];
      if (!sections.has(doc)) sections.set(doc, sectionsOf(doc));
      cited += 1;
      if (!sections.get(doc)!.has(section)) missing.push(`${path.relative(ROOT, file)}: ${doc} §${section}`);
    }
  }
  expect(cited).toBeGreaterThan(50);
  expect(missing).toEqual([]);
});

test('no comment points outside the repository', () => {
  const outside = SOURCES.filter((f) => !f.endsWith('references.test.ts')).flatMap((file) =>
    /shared\/reference|\/work\/shared/.test(readFileSync(file, 'utf8')) ? [path.relative(ROOT, file)] : [],
  );
  expect(outside).toEqual([]);
});
