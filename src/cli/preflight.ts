// What `-t` adds to loading: every check `start` makes before it touches anything (the warnings for configs that
// load but cannot bring a server up are src/health/cannot-work.ts's, logged by the daemon too). Nothing here listens, opens a socket or writes; the status settings are
// validated by the same functions the daemon calls (src/observe/http/settings.ts, users.ts).

import type { Config } from '../model/config';
import { statusDirectivesOf } from '../observe/http/directives-of';
import { ObserveError } from '../observe/http/errors';
import { statusSettings, where } from '../observe/http/settings';
import { parseUsers } from '../observe/http/users';

/** The status-server checks `start` makes before it listens, as error lines (empty when all pass). */
export async function startChecks(config: Config, read: (file: string) => Promise<Buffer>): Promise<string[]> {
  const directives = statusDirectivesOf(config);
  try {
    const settings = statusSettings(directives);
    if (!settings.enabled) return [];
    const errors: string[] = [];
    const readable = async (name: 'statustlscert' | 'statustlskey' | 'statususers'): Promise<Buffer | undefined> => {
      const s = directives[name];
      try {
        return await read(s?.value ?? '');
      } catch (e) {
        errors.push(
          `${where(s)}${name} ${s?.value ?? ''}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
        return undefined;
      }
    };
    if (settings.tls) {
      await readable('statustlscert');
      await readable('statustlskey');
    }
    if (settings.usersFile !== undefined) {
      const text = await readable('statususers');
      if (text !== undefined) {
        const users = parseUsers(text.toString('utf8'), settings.usersFile);
        if (users.size === 0 && !settings.loopback)
          errors.push(`${where(directives.statususers)}statususers ${settings.usersFile} lists no user`);
      }
    }
    return errors;
  } catch (e) {
    if (e instanceof ObserveError) return [`${e.code} ${e.message}`];
    throw e;
  }
}
