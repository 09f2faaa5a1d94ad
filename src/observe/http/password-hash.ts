// The hash part of a statususers line, pure. Two spellings of one scrypt hash are read:
//
//   $scrypt$ln=14,r=8,p=1$SALT$HASH   PHC string format (written by `ldirectord passwd`); N = 2^ln, SALT and
//                                     HASH in PHC's B64 (standard base64 alphabet, no `=` padding)
//   scrypt:16384:8:1:SALT:HASH        the older form (SALT and HASH base64), still read, deprecated
//
// bcrypt (`$2y$`/`$2b$`/`$2a$`, as `htpasswd -B` writes) is recognised only to say it is not accepted: no bcrypt
// implementation is a dependency. Parameters are bounded (docs/observability.md, "Configuration"): a line may cost
// at most what the default costs, so a hostile or careless file cannot make a login cost seconds.

export interface ScryptHash {
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** The parameters `ldirectord passwd` writes (and an unknown user costs): N = 2^14, r = 8, p = 1. */
export const DEFAULT_SCRYPT = { n: 16384, r: 8, p: 1 } as const;
/**
 * A line may cost at most what the default parameters cost (N·r·p = 2^17; 16 MiB): a dearer line would make its
 * user name answer visibly slower than an unknown one (which costs the default), and each failed login cost the
 * host more than the rate limit allows for.
 */
export const MAX_SCRYPT_COST = DEFAULT_SCRYPT.n * DEFAULT_SCRYPT.r * DEFAULT_SCRYPT.p;

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const LEGACY = /^scrypt:(\d{1,8}):(\d{1,3}):(\d{1,3}):([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;
const BCRYPT = /^\$2[abxy]\$/;

const B64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');

/** `$scrypt$ln=…,r=…,p=…$SALT$HASH` for a hash (N must be a power of two). */
export function formatPhc(h: ScryptHash): string {
  return `$scrypt$ln=${Math.log2(h.n)},r=${h.r},p=${h.p}$${B64(h.salt)}$${B64(h.hash)}`;
}

/** The hash, or a sentence saying what is wrong with it (the caller adds file:line). */
export function parseHash(text: string): ScryptHash | string {
  if (BCRYPT.test(text))
    return 'bcrypt hashes (htpasswd -B) are not accepted: this build verifies scrypt only; make the line with `ldirectord passwd USER`';
  const phc = PHC.exec(text);
  const legacy = phc === null ? LEGACY.exec(text) : null;
  const m = phc ?? legacy;
  if (m === null)
    return 'expected user:$scrypt$ln=…,r=…,p=…$SALT$HASH (make one with `ldirectord passwd USER`; plain passwords are not accepted)';
  const [, a, r, p, salt, hash] = m as unknown as [string, string, string, string, string, string];
  const h: ScryptHash = {
    n: phc !== null ? 2 ** Number(a) : Number(a),
    r: Number(r),
    p: Number(p),
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  };
  return bounded(h) ?? h;
}

function bounded(h: ScryptHash): string | undefined {
  const powerOfTwo = Number.isInteger(Math.log2(h.n));
  if (
    h.n < 2 ||
    !powerOfTwo ||
    h.r < 1 ||
    h.r > 32 ||
    h.p < 1 ||
    h.p > 16 ||
    h.salt.length < 8 ||
    h.salt.length > 64 ||
    h.hash.length < 16 ||
    h.hash.length > 128
  ) {
    return 'scrypt parameters out of range (N a power of two, r 1..32, p 1..16, salt 8..64 bytes, hash 16..128 bytes)';
  }
  const cost = h.n * h.r * h.p;
  if (cost > MAX_SCRYPT_COST) {
    const d = DEFAULT_SCRYPT;
    return `scrypt parameters cost N·r·p = ${cost}, more than the default's ${MAX_SCRYPT_COST} (N=${d.n}, r=${d.r}, p=${d.p}); make the line again with \`ldirectord passwd USER\``;
  }
  return undefined;
}
