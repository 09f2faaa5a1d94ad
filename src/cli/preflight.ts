// What `-t` adds to loading: every check `start` makes before it touches anything, and warnings for configs that
// load but cannot bring a server up. Nothing here listens, opens a socket or writes; the status settings are
// validated by the same functions the daemon calls (src/observe/http/settings.ts, users.ts).

import { checkPort } from '../health/spec';
import type { Config, Diagnostic, SourceRef } from '../model/config';
import { statusDirectivesOf } from '../observe/http/directives-of';
import { ObserveError } from '../observe/http/errors';
import { statusSettings, where } from '../observe/http/settings';
import { parseUsers } from '../observe/http/users';

/** Checks that need a port to reach the real server (ping, external, on, off and service=none do not). */
function needsPort(v: Config['virtuals'][number]): boolean {
  const k = v.checktype.kind;
  if (k === 'connect' || k === 'combined') return true;
  return k === 'negotiate' && v.service !== 'none';
}

/** Pure: warnings for what loads but can never work. */
export function cannotWork(config: Config): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (message: string, source: SourceRef, code = 'W_NO_PORT'): void =>
    void out.push({ severity: 'warning', code, message, source });
  if (config.virtuals.length === 0) {
    warn(
      'no virtual service: started, this config programs an empty IPVS table; reloaded, it removes every service',
      { file: config.file, line: 1, col: 1 },
      'W_NO_VIRTUALS',
    );
  }
  for (const v of config.virtuals) {
    for (const r of v.reals) {
      const name = `real server ${r.address}:${r.port} of ${v.id}`;
      if (v.fwmark === undefined && r.forwarding === 'masq' && r.port === 0) {
        warn(
          `${name}: masq needs the real server's port (the kernel would forward to port 0); write ${r.address}:PORT`,
          r.source,
        );
      } else if (needsPort(v) && checkPort(v, r) === 0) {
        warn(
          `${name}: its ${v.checktype.kind} check has no port (no checkport, no real port, no default port for service ${v.service}), so it never comes up; give the real a port or set checkport`,
          r.source,
        );
      }
    }
  }
  return out;
}

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
