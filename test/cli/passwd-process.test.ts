// `ldirectord passwd` as an operator runs it, with the built CLI (npm run build first): the password piped on
// standard input, and typed on a real terminal (a pseudo-terminal from util-linux's `script`), where it must not
// be echoed and is asked twice.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseUsers, verifyUser } from '../../src/observe/http/users';
import { until } from '../support/until';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'ldirectord');
const BUILT = existsSync(path.join(ROOT, 'dist', 'cli', 'passwd.js'));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ldirectord-passwd-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the CLI is built (npm run build), which these tests run', () => {
  expect(BUILT).toBe(true);
});

(BUILT ? describe : describe.skip)('ldirectord passwd', () => {
  test('password piped on stdin: the file is written 0600 with a line that verifies', async () => {
    const file = path.join(dir, 'users');
    const r = spawnSync(process.execPath, [BIN, 'passwd', 'alice', '--file', file], {
      input: 'piped secret\nignored second line\n',
      encoding: 'utf8',
    });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', `ldirectord passwd: created ${file}: added alice\n`]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const users = parseUsers(readFileSync(file, 'utf8'), file);
    expect(await verifyUser(users, 'alice', 'piped secret')).toBe(true);
  });

  /** Runs passwd on a pseudo-terminal; `answers` are typed after each prompt appears. */
  async function onTerminal(file: string, answers: readonly string[]) {
    const command = [process.execPath, BIN, 'passwd', '--file', file, 'alice'].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (b: Buffer) => void (screen += b.toString()));
    child.stderr.on('data', (b: Buffer) => void (screen += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const prompts = ['Password: ', 'Retype password: '];
    for (const [i, answer] of answers.entries()) {
      const prompt = prompts[i] as string;
      // type only once the prompt is shown (the terminal is raw by then), so nothing can echo early
      await until(`the prompt ${JSON.stringify(prompt)}`, () => (screen.split(prompt).length > 1 ? true : undefined));
      child.stdin.write(answer);
    }
    const code = await exited;
    child.stdin.end();
    return { code, screen };
  }

  test('typed on a terminal: asked twice, never echoed, written', async () => {
    const file = path.join(dir, 'users');
    const { code, screen } = await onTerminal(file, ['tty s3cret\r', 'tty s3cret\r']);
    expect(code).toBe(0);
    expect(screen).not.toContain('s3cret');
    expect(screen.replace(/\r/g, '')).toBe(
      `Password: \nRetype password: \nldirectord passwd: created ${file}: added alice\n`,
    );
    expect(await verifyUser(parseUsers(readFileSync(file, 'utf8'), file), 'alice', 'tty s3cret')).toBe(true);
  });

  test('typed twice differently: exit 1, nothing written', async () => {
    const file = path.join(dir, 'users');
    const { code, screen } = await onTerminal(file, ['one\r', 'two\r']);
    expect(code).toBe(1);
    expect(screen.replace(/\r/g, '')).toBe(
      'Password: \nRetype password: \nldirectord passwd: the passwords differ; nothing written\n',
    );
    expect(existsSync(file)).toBe(false);
  });
});
