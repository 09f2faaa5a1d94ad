// `ldirectord passwd USER`: write USER's statususers line. Decide, then act: `withUserLine` (pure) plans the
// new file text; `runPasswd` reads the password and the file through its deps, checks the result parses as
// the daemon will parse it (so passwd never writes a file the daemon refuses, and a bad line elsewhere is named
// by file:line, not lost), then has the file replaced atomically.

import { parseUsers, userOfLine, hashPassword } from '../observe/http/users';
import { ObserveError } from '../observe/http/errors';

export const EXIT_NOT_WRITTEN = 1;
export const EXIT_BAD_FILE = 2;

export interface PasswdDeps {
  /** The password: asked twice without echo on a terminal, else the first line of standard input. */
  readonly readPassword: () => Promise<string>;
  /** The file's text, or undefined when it does not exist. */
  readonly readText: (file: string) => Promise<string | undefined>;
  /** Replaces the file with `text` atomically, mode 0600. */
  readonly writeAtomic: (file: string, text: string) => Promise<void>;
  readonly stderr: (text: string) => void;
  readonly hash?: (user: string, password: string) => Promise<string>;
}

/**
 * The file with USER's line(s) replaced by `line` where the first of them stood, or `line` appended; every other
 * line (comments, blank lines, other users, even lines that do not parse) kept as it was.
 */
export function withUserLine(text: string, user: string, line: string): string {
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const out: string[] = [];
  let placed = false;
  for (const l of lines) {
    if (userOfLine(l) !== user) out.push(l);
    else if (!placed) {
      out.push(line);
      placed = true;
    }
  }
  if (!placed) out.push(line);
  return `${out.join('\n')}\n`;
}

export async function runPasswd(user: string, file: string, deps: PasswdDeps): Promise<number> {
  const say = (s: string): void => deps.stderr(`ldirectord passwd: ${s}\n`);
  if (!/^[^:\s]{1,64}$/.test(user)) {
    say(`user name ${JSON.stringify(user)}: 1..64 characters without ":" or spaces`);
    return EXIT_NOT_WRITTEN;
  }
  let before: string | undefined;
  try {
    before = await deps.readText(file);
  } catch (e) {
    say(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; nothing written`);
    return EXIT_NOT_WRITTEN;
  }
  // the other users' lines must parse as the daemon parses them (checked before the password is asked for;
  // USER's own lines are blanked, keeping the line numbers, since they are about to be replaced)
  try {
    parseUsers(
      (before ?? '')
        .split(/\r?\n/)
        .map((l) => (userOfLine(l) === user ? '' : l))
        .join('\n'),
      file,
    );
  } catch (e) {
    if (!(e instanceof ObserveError)) throw e;
    say(`${e.message}; nothing written`);
    return EXIT_BAD_FILE;
  }
  let password: string;
  try {
    password = await deps.readPassword();
  } catch (e) {
    say(`${(e as Error).message}; nothing written`);
    return EXIT_NOT_WRITTEN;
  }
  if (password === '') {
    say('empty password; nothing written');
    return EXIT_NOT_WRITTEN;
  }
  const line = await (deps.hash ?? hashPassword)(user, password);
  const after = withUserLine(before ?? '', user, line);
  try {
    await deps.writeAtomic(file, after);
  } catch (e) {
    say(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; nothing written`);
    return EXIT_NOT_WRITTEN;
  }
  say(
    `${before === undefined ? 'created' : 'updated'} ${file}: ${before !== undefined && hasUser(before, user) ? 'replaced' : 'added'} ${user}`,
  );
  return 0;
}

const hasUser = (text: string, user: string): boolean => text.split(/\r?\n/).some((l) => userOfLine(l) === user);
