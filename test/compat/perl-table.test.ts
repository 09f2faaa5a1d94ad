// Real-world ldirectord.cf files give the Perl ldirectord's table. Each fixture under
// test/fixtures/config/real-world reproduces the constructs of a kind of published config (its header says
// which); the Perl ldirectord (Debian's package) is run on it against a fake ipvsadm with every real server up
// (test/support/perl/run-perl.ts), and its table must equal ours (`--print-table`'s table, with thresholds),
// or differ exactly as the docs/compat.md entry named in EXPECTED says.
//
// Left out loudly when the Perl ldirectord is not installed, except under CI=true, where scripts/install-deps
// installed it and its absence fails (test/support/requirements.js).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { allUpTable } from '../../src/cli/print-table';
import { formatDest, formatService } from '../../src/ipvs/save-format';
import { runPerlLdirectord } from '../support/perl/run-perl';

const DIR = path.join(__dirname, '..', 'fixtures', 'config', 'real-world');
const COMPAT = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'compat.md'), 'utf8');

type Difference =
  /** Words of each docs/compat.md entry that documents it; table lines only the Perl ldirectord has, only we have. */
  | { readonly compat: readonly string[]; readonly perlOnly: readonly string[]; readonly oursOnly: readonly string[] }
  /** The Perl ldirectord refuses the file with this error; we load it. */
  | { readonly compat: readonly string[]; readonly perlRefuses: string };

/** Fixture → the documented difference; a fixture not listed must give the identical table. */
const EXPECTED: Record<string, Difference> = {
  '09-global-trailing-comment.cf': {
    compat: ['`#` starts a comment on global lines too'],
    perlRefuses: "quiescent must be 'yes' or 'no'",
  },
  '10-crlf-line-endings.cf': {
    compat: ['A CRLF line ending is a line ending'],
    perlRefuses: "quiescent must be 'yes' or 'no'",
  },
  '11-manual-thresholds.cf': {
    compat: ['Quoted thresholds are thresholds', 'The global `fallback` works for firewall-mark virtuals'],
    perlOnly: ['-a -f 30 -r :0 -g -w 1', '-a -t 192.168.30.10:80 -r 192.168.30.11:80 -m -w 4'],
    oursOnly: ['-a -f 30 -r 127.0.0.1:80 -g -w 1', '-a -t 192.168.30.10:80 -r 192.168.30.11:80 -m -w 4 -x 10 -y 5'],
  },
};

/** The table as sorted `ipvsadm -S -n` lines: services in order, each followed by its sorted destinations. */
function normalise(text: string): string[] {
  const blocks = new Map<string, string[]>();
  let current = '';
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    if (line.startsWith('-A ')) {
      current = line;
      blocks.set(current, []);
    } else {
      blocks.get(current)?.push(line);
    }
  }
  return [...blocks.keys()].sort().flatMap((s) => [s, ...blocks.get(s)!.sort()]);
}

async function ourTable(file: string): Promise<string> {
  const result = await loadConfig(file);
  if (!result.ok)
    throw new Error(
      `${file} does not load here:\n${result.errors.map((e) => `${e.source.line}: ${e.code} ${e.message}`).join('\n')}`,
    );
  return allUpTable(result.config)
    .flatMap((e) => [
      formatService(e.service),
      ...e.dests.map((d) => {
        const base = formatDest(e.service, d);
        return d.upperThreshold || d.lowerThreshold ? `${base} -x ${d.upperThreshold} -y ${d.lowerThreshold}` : base;
      }),
    ])
    .join('\n');
}

const fixtures = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.cf'))
  .sort();

describe('real-world configs: our table is the Perl ldirectord table', () => {
  test('every expectation names an existing fixture and a docs/compat.md entry', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    for (const [name, d] of Object.entries(EXPECTED)) {
      expect(fixtures).toContain(name);
      for (const entry of d.compat) expect(COMPAT).toContain(entry);
    }
  });

  // Concurrent: each run waits mostly on the Perl ldirectord's ipvsadm processes, not on a core.
  test.concurrent.each(fixtures)(
    '%s',
    async (name) => {
      const file = path.join(DIR, name);
      const expected = EXPECTED[name];
      if (expected && 'perlRefuses' in expected) {
        await expect(runPerlLdirectord(file, 100_000)).rejects.toThrow(expected.perlRefuses);
        expect((await ourTable(file)).length).toBeGreaterThan(0);
        return;
      }
      const [perl, ours] = await Promise.all([runPerlLdirectord(file, 100_000), ourTable(file)]);
      const p = normalise(perl.table);
      const o = normalise(ours);
      expect(perl.calls).toContain('-L -n'); // the Perl ldirectord did read the table
      const perlOnly = p.filter((l) => !o.includes(l));
      const oursOnly = o.filter((l) => !p.includes(l));
      expect({ perlOnly, oursOnly }).toEqual({
        perlOnly: expected?.perlOnly ?? [],
        oursOnly: expected?.oursOnly ?? [],
      });
      if (!expected) expect(o).toEqual(p);
    },
    120_000,
  );
});
