// The IPVS error-code catalogue, the code and the decision record must agree.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IPVS_ERROR_CODES } from '../../src/ipvs/errors';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('IPVS error codes', () => {
  const root = join(__dirname, '../..');
  const used = new Set<string>();
  for (const file of sources(join(root, 'src/ipvs'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/code(?:: | = )'(IPVS_[A-Z_]+)'/g)) if (m[1]) used.add(m[1]);
  }

  it('every IPVS_* code in src/ipvs is in the catalogue, and every catalogued code is used', () => {
    expect([...used].sort()).toEqual(Object.keys(IPVS_ERROR_CODES).sort());
  });

  it('docs/decisions/002-netlink-binding.md lists every code', () => {
    const doc = readFileSync(join(root, 'docs/decisions/002-netlink-binding.md'), 'utf8');
    expect(Object.keys(IPVS_ERROR_CODES).filter((c) => !doc.includes(`\`${c}\``))).toEqual([]);
  });
});
