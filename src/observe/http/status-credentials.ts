// The status page's secrets: the TLS certificate and key and the users file, read once before anything touches
// IPVS (an unreadable file or an empty users list on a non-loopback address refuses the start), and the users
// re-read on every reload (passwords can be rotated without a restart; a bad file keeps the old users).

import type { Logger } from '../log/logger';
import { ObserveError } from './errors';
import { where, type StatusDirectives, type StatusSettings } from './settings';
import { createVerifier, parseUsers, verifyUser, type RememberingVerify, type UserTable } from './users';

type ReadFile = (file: string) => Promise<Buffer>;

export interface StatusFiles {
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** undefined when statususers is not set. */
  readonly users?: UserTable;
}

async function readSetting(
  read: ReadFile,
  d: StatusDirectives,
  name: 'statustlscert' | 'statustlskey' | 'statususers',
): Promise<Buffer> {
  const s = d[name];
  try {
    return await read(s?.value ?? '');
  } catch (e) {
    const code = name === 'statususers' ? 'STATUS_USERS_UNREADABLE' : 'STATUS_TLS_UNREADABLE';
    throw new ObserveError(
      code,
      `${where(s)}${name} ${s?.value ?? ''}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { cause: e },
    );
  }
}

export async function readStatusFiles(
  read: ReadFile,
  directives: StatusDirectives,
  settings: StatusSettings,
): Promise<StatusFiles> {
  if (!settings.enabled) return {};
  const tls =
    settings.tls === undefined
      ? undefined
      : {
          cert: await readSetting(read, directives, 'statustlscert'),
          key: await readSetting(read, directives, 'statustlskey'),
        };
  if (settings.usersFile === undefined) return { ...(tls === undefined ? {} : { tls }) };
  const users = parseUsers((await readSetting(read, directives, 'statususers')).toString('utf8'), settings.usersFile);
  if (users.size === 0 && !settings.loopback)
    throw new ObserveError(
      'STATUS_INSECURE',
      `${where(directives.statususers)}statususers ${settings.usersFile} lists no user`,
    );
  return { ...(tls === undefined ? {} : { tls }), users };
}

export interface UserGate {
  verify(user: string, password: string): Promise<boolean>;
  remembered(user: string, password: string): boolean;
  /** Re-reads the users file (on reload); a bad file is logged and the previous users stay. */
  reread(): Promise<void>;
}

export function userGate(o: {
  readonly settings: StatusSettings;
  readonly users: UserTable | undefined;
  readonly readFile: ReadFile;
  readonly logger: Logger;
  readonly now: () => number;
}): UserGate {
  const verifierOf = (table: UserTable): RememberingVerify => createVerifier((u, p) => verifyUser(table, u, p), o.now);
  let current = verifierOf(o.users ?? new Map());
  const { settings } = o;
  return {
    verify: (u, p) => current(u, p),
    remembered: (u, p) => current.remembered(u, p),
    reread: async () => {
      if (!settings.enabled || settings.usersFile === undefined) return;
      try {
        const next = parseUsers((await o.readFile(settings.usersFile)).toString('utf8'), settings.usersFile);
        if (next.size === 0 && !settings.loopback) throw new Error('it lists no user');
        current = verifierOf(next);
      } catch (e) {
        o.logger.error(`statususers ${settings.usersFile}: ${(e as Error).message}; keeping the previous users`);
      }
    },
  };
}
