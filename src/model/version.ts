// The one version of ldirectord-ts: package.json's, read once where the program starts (src/ and dist/ both sit
// two levels below it). The Perl release this program is compatible with stays in its banner and log lines, as
// ldirectord wrote them (docs/compat.md, "Version").

import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The Perl ldirectord release whose behaviour is kept (its `-v` banner and start/stop log lines). */
export const PERL_RELEASE = 'Linux Director v1.186-ha';

/** The version field of a package.json text; throws naming the file when there is none. */
export function packageVersion(text: string, file: string): string {
  const v = (JSON.parse(text) as { version?: unknown }).version;
  if (typeof v !== 'string' || v === '') throw new Error(`${file}: no "version" string`);
  return v;
}

const PACKAGE_JSON = path.join(__dirname, '..', '..', 'package.json');

/** ldirectord-ts's version, from package.json. */
export const VERSION = packageVersion(readFileSync(PACKAGE_JSON, 'utf8'), PACKAGE_JSON);

/** The first line of `ldirectord -v`: the Perl banner with this program and its version appended. */
export const VERSION_LINE = `${PERL_RELEASE} (ldirectord-ts ${VERSION})`;
