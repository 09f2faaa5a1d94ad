// `ldirectord -t` checks that the sync interface exists on this host, naming file:line; start and reload do not
// (there the kernel's ENODEV is logged and counted while the director keeps running).

import { main } from '../../src/cli/main';
import { interfaceExists } from '../../src/sync/host-check';
import { fakeResolver, memFs } from '../config/helpers';

const CF = 'syncdaemon=both\nsyncinterface=eth7\nsyncid=7\nvirtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n';

async function run(argv: string[], text: string, known: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const files = { '/etc/ha.d/web.cf': text };
  const code = await main(argv, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    exists: (p) => p in files,
    load: { resolver: fakeResolver(), ...memFs(files) },
    interfaceExists: (name) => known.includes(name),
  });
  return { code, stdout, stderr };
}

describe('-t and the sync interface', () => {
  it('a sync interface missing on this host: exit 2, the error at the syncinterface line', async () => {
    expect(await run(['-t', 'web.cf'], CF, ['lo', 'eth0'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '/etc/ha.d/web.cf:2:15: E_SYNC_INTERFACE syncinterface eth7 does not exist on this host (the kernel would refuse the sync daemon with ENODEV)\n' +
        '/etc/ha.d/web.cf: 1 error(s), configuration not loaded\n',
    });
  });

  it('an interface that exists, or syncdaemon=none: exit 0', async () => {
    expect((await run(['-t', 'web.cf'], CF, ['lo', 'eth7'])).code).toBe(0);
    expect(
      (await run(['-t', 'web.cf'], 'syncdaemon=none\nvirtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n', [])).code,
    ).toBe(0);
  });

  it('--print-table does not look at the host', async () => {
    expect((await run(['--print-table', 'web.cf'], CF, [])).code).toBe(0);
  });

  it('reads this host: lo exists, a name with a slash or an unknown name does not', () => {
    expect([interfaceExists('lo'), interfaceExists('../lo'), interfaceExists('nosuchif0')]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
