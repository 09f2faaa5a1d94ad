// Foreground operation through the real CLI process: `-d` (stderr, plain, no pid file) and supervised=yes
// (stdout, `[ctime] message`, no pid file); TERM stops it with status 0 after the cleanup.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { DIRECTOR_NOTE, LAUNCHER, sandbox } from './support';
import { waitFor } from '../daemon/support/wait';

function runForeground(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(LAUNCHER, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exit, out: () => stdout, err: () => stderr };
}

/** Waits until the (fake) director has started: its journal says so, or the log shows the first added virtual. */
const directorStarted = (s: ReturnType<typeof sandbox>, log: () => string): Promise<void> =>
  waitFor(
    'the director to be started',
    () =>
      readFileSync(s.env.FAKE_DIRECTOR_JOURNAL as string, { encoding: 'utf8', flag: 'a+' }).includes('start ') ||
      log().includes('Added virtual server'),
    undefined,
    30_000,
  );

describe(`foreground modes (${DIRECTOR_NOTE})`, () => {
  it('-d: logs to stderr, writes no pid file, stops on TERM with status 0', async () => {
    const s = sandbox();
    const p = runForeground(['-d', '--dry-run', s.cf, 'start'], s.env);
    await waitFor(
      'the start message on stderr',
      () => /Starting Linux Director v1\.186-ha with pid: \d+/.test(p.err()),
      undefined,
      30_000,
    );
    await directorStarted(s, p.err);
    expect(readdirSync(s.runDir)).toEqual([]);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(p.err()).toContain('Linux Director Daemon terminated on signal: TERM');
    expect(p.out()).toBe('');
  }, 60_000);

  it('supervised=yes: logs to stdout as `[ctime] message`, no pid file', async () => {
    const s = sandbox();
    writeFileSync(s.cf, `supervised=yes\n${readFileSync(s.cf, 'utf8')}`);
    const p = runForeground(['--dry-run', s.cf, 'start'], s.env);
    await waitFor(
      'the start message on stdout',
      () =>
        /^\[\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\] Starting Linux Director v1\.186-ha with pid: \d+$/m.test(
          p.out(),
        ),
      undefined,
      30_000,
    );
    // As in the -d case: a signal before the director is up is a failed start (status 1), not a stop.
    await directorStarted(s, p.out);
    expect(readdirSync(s.runDir)).toEqual([]);
    p.child.kill('SIGINT');
    expect(await p.exit).toBe(0);
    expect(p.out()).toMatch(/\] Linux Director Daemon terminated on signal: INT\n$/);
  }, 60_000);
});
