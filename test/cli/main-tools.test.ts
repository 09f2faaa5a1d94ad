// main() for the operator tools: `passwd` (help, usage errors, a write through injected I/O) and shell
// completion (the script, and the candidates the script asks for).

import { main } from '../../src/cli/main';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

describe('passwd and completion through main', () => {
  test('passwd --help: its usage on stdout, exit 0; a usage error: the message, its usage, exit 255', async () => {
    const help = await run(['passwd', '--help']);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: ldirectord passwd \[--file FILE\] USER\n/);
    expect(help.stdout).toMatch(
      /-f, --file +The statususers file to write \(default \/etc\/ha\.d\/ldirectord\.users\)/,
    );
    const bad = await run(['passwd']);
    expect([bad.code, bad.stderr, bad.stdout.startsWith('Usage: ldirectord passwd')]).toEqual([
      255,
      'passwd takes one user name, got 0\n',
      true,
    ]);
  });

  test('passwd writes through the injected password source and file', async () => {
    const written: [string, string][] = [];
    let stderr = '';
    const code = await main(['passwd', '--file', '/srv/users', 'alice'], {
      stderr: (s) => void (stderr += s),
      passwd: {
        readPassword: async () => 'pw',
        readText: async () => undefined,
        writeAtomic: async (f, t) => void written.push([f, t]),
        hash: async (u) => `${u}:$scrypt$ln=14,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA`,
      },
    });
    expect([code, stderr, written]).toEqual([
      0,
      'ldirectord passwd: created /srv/users: added alice\n',
      [['/srv/users', 'alice:$scrypt$ln=14,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA\n']],
    ]);
  });

  test('completion prints the bash script; --get-yargs-completions prints one candidate a line', async () => {
    const script = await run(['completion']);
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('type_list=$(ldirectord --get-yargs-completions "${args[@]}")');
    expect(script.stdout).toMatch(/complete -o bashdefault -o default -F _ldirectord_yargs_completions ldirectord\n/);
    const words = await run(['--get-yargs-completions', 'ldirectord', 'web.cf', 're']);
    expect([words.code, words.stdout]).toEqual([
      0,
      'start\nstop\nrestart\ntry-restart\nreload\nforce-reload\nstatus\n',
    ]);
  });
});
