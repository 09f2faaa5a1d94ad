// `ldirectord status` with a running daemon prints the status table fetched from statusaddress: the fetch
// against a real status server, and the action through runAction with the fake process table. Exit codes
// stay those of the Perl original.
import { runAction } from '../../../src/daemon/actions';
import { fetchStatusTable } from '../../../src/observe/status/fetch-table';
import { configFile, fakeSystem } from '../../daemon/support/fake-system';
import {
  httpCheckedCf,
  startReal,
  startStack,
  statusConfig,
  withStatus,
  type RealServer,
  type Stack,
} from './support/stack';
import type { Config } from '../../../src/model/config';
import { until } from '../../support/until';

describe('ldirectord status: the table', () => {
  let real: RealServer;
  let stack: Stack;
  let config: Config;
  let cli: Config;

  beforeAll(async () => {
    real = await startReal();
    ({ config } = await statusConfig(httpCheckedCf(['checkinterval=1'], [`127.0.0.1:${real.port} masq 3`]), {
      ops: 'pw',
    }));
    stack = await startStack(config, { statsTtlMs: 0 });
    // what the CLI reads: the same file, with the port the server got
    cli = withStatus(config, {
      statusaddress: `127.0.0.1:${stack.obs.server?.port ?? 0}`,
      statususers: config.global.statususers?.value ?? '',
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await real?.down();
  });

  it('fetches /status.json with the credentials from the environment and renders it', async () => {
    const env = { LDIRECTORD_STATUS_USER: 'ops', LDIRECTORD_STATUS_PASSWORD: 'pw' };
    const t = await until('the real up', async () => {
      const r = await fetchStatusTable(cli, { env });
      return r.ok === true && /\sup\s/.test(r.text) ? r.text : undefined;
    });
    const lines = t.trimEnd().split('\n');
    expect(lines[0]).toBe('VIRTUAL         REAL             HEALTH  OVERRIDE  WEIGHT cfg/want/kernel  LAST CHECK');
    expect(lines[1]).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1:8080  127\\.0\\.0\\.1:${real.port}  up      -         3/3/3                   HTTP GET http://127\\.0\\.0\\.1:${real.port}/: 200 OK, body matches /ok/$`,
      ),
    );
  });

  it('says what is wrong instead of a table: credentials, another instance, nobody listening, status off', async () => {
    expect(await fetchStatusTable(cli, { env: {} })).toEqual({
      ok: false,
      message: `status table: http://127.0.0.1:${stack.obs.server?.port}/status.json wants credentials (LDIRECTORD_STATUS_USER, LDIRECTORD_STATUS_PASSWORD)`,
    });
    const other = { ...cli, file: '/etc/ha.d/other.cf' };
    expect(
      await fetchStatusTable(other, { env: { LDIRECTORD_STATUS_USER: 'ops', LDIRECTORD_STATUS_PASSWORD: 'pw' } }),
    ).toEqual({
      ok: false,
      message: `status table: http://127.0.0.1:${stack.obs.server?.port}/status.json is the status page of another ldirectord (${config.file}); give each instance its own statusaddress`,
    });
    const closed = await startReal();
    await closed.down();
    const nobody = await fetchStatusTable(withStatus(config, { statusaddress: `127.0.0.1:${closed.port}` }));
    expect(nobody).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        new RegExp(`^status table: http://127\\.0\\.0\\.1:${closed.port}/status\\.json: .*ECONNREFUSED`),
      ),
    });
    expect(await fetchStatusTable(withStatus(config, { statusaddress: 'none' }))).toEqual({ ok: 'off' });
  });

  it('runAction status prints the table on stdout after the usual line, exit code 0; failures go to stderr, still 0', async () => {
    const cf = configFile('checkinterval=5\nvirtual=127.0.0.1:80\n\treal=127.0.0.2:80 masq\n');
    const seen: Config[] = [];
    const s = fakeSystem({ statusTable: async (c) => (seen.push(c), { ok: true, text: 'THE TABLE\n' }) });
    expect(await runAction('start', { configArg: cf, debug: false, dryRun: true }, s.deps)).toBe(0);
    expect(await runAction('status', { configArg: cf, debug: false }, s.deps)).toBe(0);
    expect(s.err.join('')).toMatch(/is running with pid: \d+\n$/);
    expect(s.out.join('')).toBe('THE TABLE\n');
    expect(seen.map((c) => c.file)).toEqual([cf]);

    const f = fakeSystem({ statusTable: async () => ({ ok: false, message: 'status table: nope' }) });
    expect(await runAction('start', { configArg: cf, debug: false, dryRun: true }, f.deps)).toBe(0);
    expect(await runAction('status', { configArg: cf, debug: false }, f.deps)).toBe(0);
    expect(f.err.join('')).toMatch(/is running with pid: \d+\nstatus table: nope\n$/);
    expect(f.out.join('')).toBe('');
  });
});
