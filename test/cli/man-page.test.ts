// docs/ldirectord.8 is the man page rendered from the directive table and the CLI usage (fix a failure with
// `npx tsx src/cli/write-generated.ts`); it renders with man -l and without groff warnings.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ACTIONS } from '../../src/cli/args';
import { usageText } from '../../src/cli/usage';
import { DIRECTIVES } from '../../src/config/directives';
import { renderManPage, roffEscape } from '../../src/cli/man-page';
import { manPageText } from '../../src/cli/write-generated';
import { VERSION } from '../../src/model/version';

const run = promisify(execFile);
const FILE = join(__dirname, '..', '..', 'docs', 'ldirectord.8');
const page = readFileSync(FILE, 'utf8');

describe('ldirectord(8)', () => {
  it("is the page rendered now from the directive table, the usage text and package.json's version", async () => {
    expect(page).toBe(await manPageText());
    expect(page).toContain(`.TH LDIRECTORD 8 "" "ldirectord\\-ts ${roffEscape(VERSION)}"`);
  });

  it('has every directive, every action and every exit status, and the --help text', async () => {
    for (const d of DIRECTIVES.filter((x) => x.type !== 'deprecated'))
      expect(page).toContain(`.TP\n.B ${roffEscape(d.name)}\n`);
    for (const a of ACTIONS) expect(page).toContain(`.TP\n.B ${roffEscape(a)}\n`);
    for (const code of ['0', '1', '2', '3', '255']) expect(page).toContain(`.TP\n.B ${code}\n`);
    for (const line of (await usageText()).split('\n').filter((l) => l !== ''))
      expect(page).toContain(roffEscape(line));
  });

  it('refuses to render an action it has no description for', () => {
    expect(() => renderManPage({ version: '1', usage: 'u', actions: [...ACTIONS, 'explode' as never] })).toThrow(
      'no description of action explode',
    );
  });

  it('escapes what roff would read as requests, escapes or non-ASCII', () => {
    expect(roffEscape('.x \\n a-b → c')).toBe('\\&.x \\en a\\-b \\[u2192] c');
    expect(roffEscape("ok\n'quoted")).toBe("ok\n\\&'quoted");
  });

  it('renders with man -l, and groff finds nothing to warn about', async () => {
    const env = { ...process.env, MANWIDTH: '100', MANPAGER: 'cat', PAGER: 'cat' };
    const m = await run('man', ['-l', FILE], { env });
    expect(m.stderr).toBe('');
    const text = m.stdout;
    for (const s of [
      'LDIRECTORD(8)',
      'NAME',
      'SYNOPSIS',
      'ACTIONS',
      'EXIT STATUS',
      'CONFIGURATION',
      'checktimeout',
      'ldirectord -v|--version',
      `ldirectord-ts ${VERSION}`,
    ]) {
      expect([s, text.includes(s)]).toEqual([s, true]);
    }
    const g = await run('groff', ['-man', '-Tutf8', '-ww', '-z', FILE]);
    expect(g.stderr).toBe('');
  });
});
