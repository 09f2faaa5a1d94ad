// docs/config.md and schema/virtual-service.schema.json agree with the directive table and the code catalogue.
// Fix a failure with `npx tsx src/cli/write-generated.ts`.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, WARNING_CODES } from '../../src/config/codes';
import { DIRECTIVES } from '../../src/config/directives';
import { updateDoc } from '../../src/config/docs';
import { schemaText } from '../../src/cli/write-generated';

const root = join(__dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'config.md'), 'utf8');

test('docs/config.md holds the tables rendered from the directive table and the code catalogue', () => {
  expect(doc).toBe(updateDoc(doc));
});

test('every directive appears in the docs directive table, with its scope and default', () => {
  for (const d of DIRECTIVES) {
    expect(doc).toContain(`| \`${d.name}\` | ${d.scope} | ${d.type} | ${d.default.replace(/\|/g, '\\|')} |`);
  }
});

test('every diagnostic code is documented in docs/config.md', () => {
  for (const code of [...Object.keys(ERROR_CODES), ...Object.keys(WARNING_CODES)]) {
    expect(doc).toContain(`| \`${code}\` |`);
  }
});

test('every code the source emits is in the catalogue', () => {
  const src = join(root, 'src', 'config');
  const files = [
    'values.ts',
    'scope.ts',
    'real-parse.ts',
    'virtual-parse.ts',
    'virtual-build.ts',
    'address.ts',
    'load.ts',
    'cf-parse.ts',
    'yaml-parse.ts',
  ];
  const known = new Set([...Object.keys(ERROR_CODES), ...Object.keys(WARNING_CODES)]);
  const used = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(join(src, f), 'utf8').matchAll(/'([EW]_[A-Z0-9_]+)'/g)) used.add(m[1]!);
  }
  expect([...used].filter((c) => !known.has(c))).toEqual([]);
  expect(used.size).toBeGreaterThan(20);
});

test('schema/virtual-service.schema.json is the schema generated from the directive table', () => {
  expect(readFileSync(join(root, 'schema', 'virtual-service.schema.json'), 'utf8')).toBe(schemaText());
});

test('the schema names every per-virtual directive and no global-only one', () => {
  const schema = JSON.parse(schemaText()) as { properties: Record<string, unknown> };
  const keys = Object.keys(schema.properties).sort();
  const expected = [
    'virtual',
    'virtual6',
    ...DIRECTIVES.filter((d) => d.scope !== 'global' && d.type !== 'deprecated').map((d) => d.name),
  ].sort();
  expect(keys).toEqual(expected);
});
