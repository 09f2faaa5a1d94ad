// The statususers file: scrypt hashes only (PHC form, and the older form still read), errors with file:line,
// bounded parameters, constant-time verification.
import { scryptSync } from 'node:crypto';
import { createVerifier, hashPassword, parseUsers, verifyUser } from '../../../src/observe/http/users';
import { codeOf } from './support/code-of';

describe('statususers', () => {
  it('verifies the right password and refuses a wrong one or an unknown user', async () => {
    const line = await hashPassword('alice', 'correct horse');
    expect(line).toMatch(/^alice:\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(line).not.toContain('correct horse');
    const users = parseUsers(`# operators\n\n${line}\n${await hashPassword('bob', 'b')}\n`, '/etc/ldirectord.users');
    expect([...users.keys()]).toEqual(['alice', 'bob']);
    expect(await verifyUser(users, 'alice', 'correct horse')).toBe(true);
    expect(await verifyUser(users, 'alice', 'correct horse ')).toBe(false);
    expect(await verifyUser(users, 'bob', 'correct horse')).toBe(false);
    expect(await verifyUser(users, 'mallory', 'correct horse')).toBe(false);
  });

  it('refuses plain user:password lines, naming file:line', () => {
    expect(codeOf(() => parseUsers('# x\nalice:secret\n', '/etc/u'))).toBe(
      'STATUS_USERS_BAD_LINE: /etc/u:2: expected user:$scrypt$ln=…,r=…,p=…$SALT$HASH (make one with `ldirectord passwd USER`; plain passwords are not accepted)',
    );
  });

  it('refuses parameters that would be weak or exhaust memory, and duplicate users', async () => {
    const good = await hashPassword('a', 'p');
    const [, , , salt, hash] = good.split('$');
    expect(codeOf(() => parseUsers(`a:scrypt:4194304:8:1:${salt}:${hash}`, 'f'))).toMatch(
      /^STATUS_USERS_BAD_LINE: f:1: scrypt parameters cost N·r·p = 33554432/,
    );
    expect(codeOf(() => parseUsers(`a:$scrypt$ln=0,r=8,p=1$${salt}$${hash}`, 'f'))).toMatch(
      /^STATUS_USERS_BAD_LINE: f:1: scrypt parameters out of range/,
    );
    expect(codeOf(() => parseUsers(`a:scrypt:1000:8:1:${salt}:${hash}`, 'f'))).toMatch(
      /^STATUS_USERS_BAD_LINE: f:1: scrypt parameters/,
    );
    expect(codeOf(() => parseUsers(`a:scrypt:16384:8:1:QUJD:${hash}`, 'f'))).toMatch(
      /^STATUS_USERS_BAD_LINE: f:1: scrypt parameters/,
    );
    expect(codeOf(() => parseUsers(`${good}\n${good}`, 'f'))).toBe('STATUS_USERS_BAD_LINE: f:2: user "a" listed twice');
  });
});

describe('verifier memory', () => {
  it('remembers a success for the ttl, never a failure, and forgets when the password changes', async () => {
    const users = parseUsers(await hashPassword('alice', 'pw'), 'f');
    let now = 0;
    const calls: string[] = [];
    const verify = createVerifier(
      (u, p) => (calls.push(p), verifyUser(users, u, p)),
      () => now,
      1000,
      2,
    );
    expect(await verify('alice', 'pw')).toBe(true);
    expect(await verify('alice', 'pw')).toBe(true);
    expect(await verify('alice', 'nope')).toBe(false);
    expect(await verify('alice', 'nope')).toBe(false);
    expect(calls).toEqual(['pw', 'nope', 'nope']); // one success remembered; both failures computed
    now = 1000;
    expect(await verify('alice', 'pw')).toBe(true);
    expect(calls).toEqual(['pw', 'nope', 'nope', 'pw']); // expired: computed again
    expect(await verify('alice', 'other')).toBe(false);
  });
});

test('a users line dearer than the default scrypt cost is refused with file:line (timing would show the name)', () => {
  const salt = Buffer.alloc(16, 1).toString('base64');
  const hash = Buffer.alloc(32, 2).toString('base64');
  expect(() => parseUsers(`# ok\nbob:scrypt:131072:8:1:${salt}:${hash}\n`, '/etc/ha.d/users')).toThrow(
    "/etc/ha.d/users:2: scrypt parameters cost N·r·p = 1048576, more than the default's 131072 (N=16384, r=8, p=1); make the line again with `ldirectord passwd USER`",
  );
  // ln=99 would be N = 2^99: refused by cost before scrypt ever runs
  expect(() =>
    parseUsers(`bob:$scrypt$ln=99,r=8,p=1$${salt.replace(/=+$/, '')}$${hash.replace(/=+$/, '')}\n`, 'u'),
  ).toThrow(/^u:1: scrypt parameters cost N·r·p = 5\.0\d*e\+30/);
  expect(() => parseUsers(`bob:scrypt:16384:8:2:${salt}:${hash}\n`, 'u')).toThrow(/^u:1: scrypt parameters cost/);
  expect(parseUsers(`bob:scrypt:16384:8:1:${salt}:${hash}\nann:scrypt:1024:8:1:${salt}:${hash}\n`, 'u').size).toBe(2);
});

describe('hash formats', () => {
  // RFC 7914 §12's third test vector: scrypt("pleaseletmein", "SodiumChloride", N=16384, r=8, p=1, dkLen=64).
  const RFC_SALT = Buffer.from('SodiumChloride').toString('base64').replace(/=+$/, '');
  const RFC_HASH = Buffer.from(
    '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887',
    'hex',
  )
    .toString('base64')
    .replace(/=+$/, '');

  it('reads a PHC $scrypt$ line made elsewhere (the RFC 7914 vector)', async () => {
    const users = parseUsers(`carol:$scrypt$ln=14,r=8,p=1$${RFC_SALT}$${RFC_HASH}\n`, 'f');
    expect(await verifyUser(users, 'carol', 'pleaseletmein')).toBe(true);
    expect(await verifyUser(users, 'carol', 'pleaseletmeout')).toBe(false);
  });

  it('still reads the older user:scrypt:N:r:p:SALT:HASH line (deprecated)', async () => {
    const salt = Buffer.alloc(16, 7);
    const hash = scryptSync('old secret', salt, 32, { N: 1024, r: 8, p: 1 });
    const users = parseUsers(`dave:scrypt:1024:8:1:${salt.toString('base64')}:${hash.toString('base64')}\n`, 'f');
    expect(await verifyUser(users, 'dave', 'old secret')).toBe(true);
    expect(await verifyUser(users, 'dave', 'new secret')).toBe(false);
  });

  it('says plainly that bcrypt (htpasswd -B) lines are not accepted, naming file:line', () => {
    const bcrypt = 'erin:$2y$05$c4WoMPo3SXsafkva.HHa6uXQZWr7oboPiC2bT/r7q1BB8I2s0BRqC';
    expect(codeOf(() => parseUsers(`# x\n${bcrypt}\n`, '/etc/ha.d/users'))).toBe(
      'STATUS_USERS_BAD_LINE: /etc/ha.d/users:2: bcrypt hashes (htpasswd -B) are not accepted: this build verifies scrypt only; make the line with `ldirectord passwd USER`',
    );
  });
});
