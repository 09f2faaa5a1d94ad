// The statususers file: one `user:scrypt:N:r:p:SALT:HASH` line per user (SALT and HASH base64), `#` comments
// and blank lines ignored. Only hashes are stored; `hashPassword` (and hash-password.ts) makes the lines.
// Verification runs scrypt with the stored parameters and compares in constant time; an unknown user costs
// the same scrypt as a known one, so timing does not tell which user names exist.

import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ObserveError } from './errors';

export interface UserEntry {
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

export type UserTable = ReadonlyMap<string, UserEntry>;

const DEFAULTS = { n: 16384, r: 8, p: 1 };
const MAX_N = 1 << 20;
/**
 * A line may cost at most what the default parameters cost (N·r·p = 2^17; 16 MiB): a dearer line would make
 * its user name answer visibly slower than an unknown one (which costs the default), and each failed login
 * cost the host more than the rate limit allows for.
 */
export const MAX_SCRYPT_COST = DEFAULTS.n * DEFAULTS.r * DEFAULTS.p;
const LINE = /^([^:\s]{1,64}):scrypt:(\d+):(\d+):(\d+):([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;

const maxmem = (e: { n: number; r: number; p: number }): number => 128 * e.r * (e.n + e.p + 2) + 1024 * 1024;

export function parseUsers(text: string, file: string): UserTable {
  const users = new Map<string, UserEntry>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = LINE.exec(line);
    const at = `${file}:${i + 1}`;
    if (m === null) {
      throw new ObserveError(
        'STATUS_USERS_BAD_LINE',
        `${at}: expected user:scrypt:N:r:p:SALT:HASH (make one with hash-password; plain passwords are not accepted)`,
      );
    }
    const [, user, n, r, p, salt, hash] = m as unknown as [string, string, string, string, string, string, string];
    const e: UserEntry = {
      n: Number(n),
      r: Number(r),
      p: Number(p),
      salt: Buffer.from(salt, 'base64'),
      hash: Buffer.from(hash, 'base64'),
    };
    if (
      e.n < 2 ||
      e.n > MAX_N ||
      (e.n & (e.n - 1)) !== 0 ||
      e.r < 1 ||
      e.r > 32 ||
      e.p < 1 ||
      e.p > 16 ||
      e.salt.length < 8 ||
      e.hash.length < 16 ||
      e.hash.length > 128
    ) {
      throw new ObserveError(
        'STATUS_USERS_BAD_LINE',
        `${at}: scrypt parameters out of range (N a power of two up to 2^20, r 1..32, p 1..16, salt ≥ 8 bytes, hash 16..128 bytes)`,
      );
    }
    if (e.n * e.r * e.p > MAX_SCRYPT_COST) {
      throw new ObserveError(
        'STATUS_USERS_BAD_LINE',
        `${at}: scrypt parameters cost N·r·p = ${e.n * e.r * e.p}, more than the default's ${MAX_SCRYPT_COST} (N=${DEFAULTS.n}, r=${DEFAULTS.r}, p=${DEFAULTS.p}); make the line again with hash-password`,
      );
    }
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

export async function hashPassword(user: string, password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  if (!/^[^:\s]{1,64}$/.test(user)) throw new RangeError('user names are 1..64 characters without ":" or spaces');
  const hash = await derive(password, { ...DEFAULTS, salt }, 32);
  return `${user}:scrypt:${DEFAULTS.n}:${DEFAULTS.r}:${DEFAULTS.p}:${salt.toString('base64')}:${hash.toString('base64')}`;
}

const DUMMY: UserEntry = { ...DEFAULTS, salt: Buffer.alloc(16), hash: Buffer.alloc(32) };

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
