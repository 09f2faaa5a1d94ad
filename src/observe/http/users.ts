// The statususers file: one `user:HASH` line per user, `#` comments and blank lines ignored. HASH is an scrypt
// hash in PHC form (`$scrypt$ln=14,r=8,p=1$SALT$HASH`) or the older `scrypt:N:r:p:SALT:HASH` (password-hash.ts
// reads both and bounds the parameters). Only hashes are stored; `ldirectord passwd` makes the lines with
// `hashPassword`. Verification runs scrypt with the stored parameters and compares in constant time; an unknown
// user costs the same scrypt as a known one, so timing does not tell which user names exist.

import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ObserveError } from './errors';
import { DEFAULT_SCRYPT, formatPhc, parseHash, type ScryptHash } from './password-hash';

export type UserEntry = ScryptHash;

export type UserTable = ReadonlyMap<string, UserEntry>;

const USER = /^[^:\s]{1,64}$/;
const LINE = /^([^:\s]{1,64}):(.*)$/;

const maxmem = (e: { n: number; r: number; p: number }): number => 128 * e.r * (e.n + e.p + 2) + 1024 * 1024;

/** The user name of a line that names one (`user:…`), whatever its hash; undefined for comments and blanks. */
export function userOfLine(raw: string): string | undefined {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return undefined;
  return LINE.exec(line)?.[1];
}

export function parseUsers(text: string, file: string): UserTable {
  const users = new Map<string, UserEntry>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = `${file}:${i + 1}`;
    const m = LINE.exec(line);
    const e = m === null ? parseHash('') : parseHash(m[2] as string);
    if (typeof e === 'string') throw new ObserveError('STATUS_USERS_BAD_LINE', `${at}: ${e}`);
    const user = (m as RegExpExecArray)[1] as string;
    if (users.has(user))
      throw new ObserveError('STATUS_USERS_BAD_LINE', `${at}: user ${JSON.stringify(user)} listed twice`);
    users.set(user, e);
  });
  return users;
}

function derive(password: string, e: Pick<UserEntry, 'n' | 'r' | 'p' | 'salt'>, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, e.salt, length, { N: e.n, r: e.r, p: e.p, maxmem: maxmem(e) }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** A statususers line `user:$scrypt$ln=14,r=8,p=1$SALT$HASH` for the password (default parameters, 16-byte salt). */
export async function hashPassword(user: string, password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  if (!USER.test(user)) throw new RangeError('user names are 1..64 characters without ":" or spaces');
  const hash = await derive(password, { ...DEFAULT_SCRYPT, salt }, 32);
  return `${user}:${formatPhc({ ...DEFAULT_SCRYPT, salt, hash })}`;
}

const DUMMY: UserEntry = { ...DEFAULT_SCRYPT, salt: Buffer.alloc(16), hash: Buffer.alloc(32) };

export async function verifyUser(users: UserTable, user: string, password: string): Promise<boolean> {
  const known = users.get(user);
  const e = known ?? DUMMY;
  const got = await derive(password, e, e.hash.length);
  return timingSafeEqual(got, e.hash) && known !== undefined;
}

/**
 * verifyUser with a short memory of credentials that verified: the page polls every few seconds and scrypt
 * costs ~0.1 s of CPU, so a success is remembered (by a SHA-256 of user and password, never the password) for
 * `ttlMs`; failures are never remembered. At most `max` entries.
 */
export type Verify = (user: string, password: string) => Promise<boolean>;

/** A Verify that can also say, without scrypt, whether credentials verified recently. */
export type RememberingVerify = Verify & { remembered(user: string, password: string): boolean };

export function createVerifier(check: Verify, now: () => number, ttlMs = 300_000, max = 32): RememberingVerify {
  const ok = new Map<string, number>();
  const keyOf = (user: string, password: string): string =>
    createHash('sha256').update(user).update('\0').update(password).digest('hex');
  const remembered = (user: string, password: string): boolean => (ok.get(keyOf(user, password)) ?? 0) > now();
  const verify: Verify = async (user, password) => {
    const key = keyOf(user, password);
    const until = ok.get(key);
    if (until !== undefined && until > now()) return true;
    ok.delete(key);
    const good = await check(user, password);
    if (good) {
      if (ok.size >= max) ok.delete(ok.keys().next().value as string);
      ok.set(key, now() + ttlMs);
    }
    return good;
  };
  return Object.assign(verify, { remembered });
}
