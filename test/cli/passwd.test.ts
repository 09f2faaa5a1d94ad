// `ldirectord passwd`: the planner that rewrites the users file (pure), the run with its I/O faked (what is
// asked, refused, written), and the atomic write on a real disk.
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runPasswd, withUserLine, type PasswdDeps } from '../../src/cli/passwd';
import { readUsersText, writeUsersAtomic } from '../../src/cli/users-file';
import { parseUsers, verifyUser } from '../../src/observe/http/users';

const OTHER = 'bob:$scrypt$ln=14,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('withUserLine (pure)', () => {
  test.each([
    ['', 'alice:NEW\n'],
    ['# operators\n', '# operators\nalice:NEW\n'],
    ['# operators\n\nbob:B\n', '# operators\n\nbob:B\nalice:NEW\n'],
    // replaced where it stood; comments, blanks, other users and even unparsable lines kept as they were
    ['# ops\nalice:OLD\n\nbob:B\ngarbage line\n', '# ops\nalice:NEW\n\nbob:B\ngarbage line\n'],
    // a second line of the same user goes (the daemon would refuse the file for it)
    ['alice:OLD\nbob:B\n  alice:OLDER\n', 'alice:NEW\nbob:B\n'],
    ['bob:B', 'bob:B\nalice:NEW\n'],
    ['bob:B\r\nalice:OLD\r\n', 'bob:B\nalice:NEW\n'],
    ['alicea:X\n#alice:Y\n', 'alicea:X\n#alice:Y\nalice:NEW\n'],
  ])('%j', (before, after) => {
    expect(withUserLine(before, 'alice', 'alice:NEW')).toBe(after);
  });
});

describe('runPasswd (I/O faked)', () => {
  function fake(files: Record<string, string>, password: string | Error = 'pw') {
    const events: string[] = [];
    const deps: PasswdDeps = {
      readPassword: async () => {
        events.push('asked');
        if (password instanceof Error) throw password;
        return password;
      },
      readText: async (f) => files[f],
      writeAtomic: async (f, text) => {
        events.push(`wrote ${f}`);
        files[f] = text;
      },
      stderr: (s) => void events.push(s),
      hash: async (user, pw) =>
        `${user}:$scrypt$ln=14,r=8,p=1$${Buffer.from(pw.padEnd(16, '.')).toString('base64').replace(/=+$/, '')}$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
    };
    return { deps, events, files };
  }

  test('a new file: created with the line, which verifies with the password (real scrypt)', async () => {
    const files: Record<string, string> = {};
    const { deps, events } = fake(files, 'correct horse');
    expect(await runPasswd('alice', '/etc/u', { ...deps, hash: undefined })).toBe(0);
    expect(events).toEqual(['asked', 'wrote /etc/u', 'ldirectord passwd: created /etc/u: added alice\n']);
    const users = parseUsers(files['/etc/u'] ?? '', '/etc/u');
    expect(await verifyUser(users, 'alice', 'correct horse')).toBe(true);
    expect(await verifyUser(users, 'alice', 'correct horse!')).toBe(false);
  });

  test("an existing user's line is replaced, the others kept", async () => {
    const { deps, events, files } = fake({ '/etc/u': `# ops\n${OTHER}\nalice:scrypt:16384:8:1:AAAA:AAAA\n` });
    expect(await runPasswd('alice', '/etc/u', deps)).toBe(0);
    expect(events.at(-1)).toBe('ldirectord passwd: updated /etc/u: replaced alice\n');
    expect(files['/etc/u']).toMatch(
      new RegExp(`^# ops\\n${OTHER.replace(/\$/g, '\\$')}\\nalice:\\$scrypt\\$ln=14,r=8,p=1\\$[^\\n]+\\n$`),
    );
  });

  test('another line that does not parse: exit 2 naming file:line, before the password is asked, nothing written', async () => {
    const before = `# ops\nalice:old\nbob:secret\n${OTHER.replace('bob', 'carol')}\n`;
    const { deps, events, files } = fake({ '/etc/u': before });
    expect(await runPasswd('alice', '/etc/u', deps)).toBe(2);
    expect(events).toEqual([
      'ldirectord passwd: /etc/u:3: expected user:$scrypt$ln=…,r=…,p=…$SALT$HASH (make one with `ldirectord passwd USER`; plain passwords are not accepted); nothing written\n',
    ]);
    expect(files['/etc/u']).toBe(before);
  });

  test('empty password, a cancelled prompt, a bad user name, a failed write: exit 1, nothing written', async () => {
    const empty = fake({}, '');
    expect(await runPasswd('alice', '/etc/u', empty.deps)).toBe(1);
    expect(empty.events).toEqual(['asked', 'ldirectord passwd: empty password; nothing written\n']);

    const differ = fake({}, new Error('the passwords differ'));
    expect(await runPasswd('alice', '/etc/u', differ.deps)).toBe(1);
    expect(differ.events).toEqual(['asked', 'ldirectord passwd: the passwords differ; nothing written\n']);

    const name = fake({});
    expect(await runPasswd('al:ice', '/etc/u', name.deps)).toBe(1);
    expect(name.events).toEqual(['ldirectord passwd: user name "al:ice": 1..64 characters without ":" or spaces\n']);

    const failing = fake({});
    const denied = Object.assign(new Error('denied'), { code: 'EACCES' });
    const r = await runPasswd('alice', '/etc/u', { ...failing.deps, writeAtomic: async () => Promise.reject(denied) });
    expect([r, failing.events.at(-1)]).toEqual([1, 'ldirectord passwd: /etc/u: EACCES; nothing written\n']);
  });
});

describe('the users file on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ldirectord-passwd-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a missing file reads as undefined; other errors are errors', async () => {
    expect(await readUsersText(path.join(dir, 'none'))).toBeUndefined();
    await expect(readUsersText(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  test('replaced atomically with mode 0600 (whatever it was), no temporary file left', async () => {
    const file = path.join(dir, 'users');
    writeFileSync(file, 'old\n', { mode: 0o644 });
    await writeUsersAtomic(file, 'new\n');
    expect([readFileSync(file, 'utf8'), statSync(file).mode & 0o777, readdirSync(dir)]).toEqual([
      'new\n',
      0o600,
      ['users'],
    ]);
    await writeUsersAtomic(path.join(dir, 'fresh'), 'x\n');
    expect(statSync(path.join(dir, 'fresh')).mode & 0o777).toBe(0o600);
  });

  test('through a symlink the target is replaced and the link kept', async () => {
    const target = path.join(dir, 'real-users');
    writeFileSync(target, 'old\n');
    symlinkSync('real-users', path.join(dir, 'users'));
    await writeUsersAtomic(path.join(dir, 'users'), 'new\n');
    expect([lstatSync(path.join(dir, 'users')).isSymbolicLink(), readlinkSync(path.join(dir, 'users'))]).toEqual([
      true,
      'real-users',
    ]);
    expect(readFileSync(target, 'utf8')).toBe('new\n');
  });

  test('a directory that does not exist: the error, nothing created', async () => {
    const file = path.join(dir, 'missing-dir', 'users');
    await expect(writeUsersAtomic(file, 'new\n')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
