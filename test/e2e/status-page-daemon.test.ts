// The status server of a real daemon process: `ldirectord --dry-run CONFIG start` through the CLI (real
// director, real health pool, in-memory IPVS table), a real HTTP real server on loopback. /status.json and
// /metrics answer over HTTP, `ldirectord CONFIG status` prints the table after its usual line, a real
// server's failure shows, and a non-loopback statusaddress without TLS and users is refused at start with
// the directive's file:line.
import { readFileSync, writeFileSync } from 'node:fs';
import { LAUNCHER, REAL_DIRECTOR, run, sandbox } from '../integration/support';
import { parsePrometheusText, sampleOf } from '../observe/metrics/support/prom-text';
import { basicAuth, httpCheckedCf, startReal, usersFile, type RealServer } from '../observe/status/support/stack';
import type { StatusModel } from '../../src/observe/status/model';
import { until as untilProbe } from '../support/until';
import { freePort } from '../support/ports';

/** Polls the daemon's page (refused while it starts), every 50 ms. */
const until = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> =>
  untilProbe(what, probe, { intervalMs: 50, retryOnError: true });

if (!REAL_DIRECTOR) console.warn('SKIPPING the daemon status page test: src/health/pool.ts is not in this build');
const maybe = REAL_DIRECTOR ? describe : describe.skip;

maybe('status page of a real daemon process (--dry-run)', () => {
  it('refuses a non-loopback statusaddress without TLS and users, naming file:line', async () => {
    const s = sandbox();
    writeFileSync(
      s.cf,
      [
        'checkinterval=1',
        'statusaddress=0.0.0.0:9186',
        `logfile="${s.log}"`,
        'virtual=127.0.0.1:8080',
        '\treal=127.0.0.2:8080 masq',
        '\tchecktype=on',
        '',
      ].join('\n'),
    );
    const r = await run(LAUNCHER, ['--dry-run', s.cf, 'start'], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${s.cf}:2:15: statusaddress 0.0.0.0:9186 is not a loopback address: the status server then needs TLS and authentication (missing statustlscert and statustlskey and statususers)`,
    );
    expect((await run(LAUNCHER, [s.cf, 'status'], s.env)).code).toBe(3);
  }, 60_000);

  describe('running', () => {
    let real: RealServer;
    let s: ReturnType<typeof sandbox>;
    let url: string;
    const auth = { Authorization: basicAuth('ops', 'pw') };

    beforeAll(async () => {
      real = await startReal();
      s = sandbox();
      const port = await freePort();
      url = `http://127.0.0.1:${port}/`;
      const users = await usersFile(s.dir, { ops: 'pw' });
      writeFileSync(
        s.cf,
        httpCheckedCf(
          ['checkinterval=1', `statusaddress=127.0.0.1:${port}`, `statususers=${users}`, `logfile="${s.log}"`],
          [`127.0.0.1:${real.port} masq 3`],
          ['checktimeout=2'],
        ),
      );
      const r = await run(LAUNCHER, ['--dry-run', s.cf, 'start'], s.env);
      expect(r).toMatchObject({ code: 0 });
    }, 60_000);
    afterAll(async () => {
      if (s !== undefined) await run(LAUNCHER, ['--dry-run', s.cf, 'stop'], s.env);
      await real?.down();
    }, 60_000);

    const status = async (): Promise<StatusModel> => {
      const r = await fetch(`${url}status.json`, { headers: auth });
      if (r.status !== 200) throw new Error(`status.json: ${r.status}`);
      return (await r.json()) as StatusModel;
    };

    it('serves status, metrics and the terminal table, and shows a real server going down', async () => {
      expect((await fetch(`${url}status.json`)).status).toBe(401);
      const R = `tcp:127.0.0.1:8080|127.0.0.1:${real.port}`;
      await until('the real up at weight 3 in the kernel', async () => {
        const r = (await status()).virtuals[0]?.reals[0];
        return r?.id === R && r.health === 'up' && r.weight.kernel === 3 ? true : undefined;
      });
      const m = await fetch(`${url}metrics`, { headers: auth });
      const f = parsePrometheusText(await m.text());
      expect(
        sampleOf(f, 'ldirectord_real_server_state', {
          virtual: 'tcp:127.0.0.1:8080',
          real: `127.0.0.1:${real.port}`,
          state: 'up',
        }).value,
      ).toBe(1);
      expect(sampleOf(f, 'ldirectord_ipvs_operations_total', { operation: 'add-service' }).value).toBe(1);
      expect(
        sampleOf(f, 'ldirectord_check_results_total', {
          check: 'negotiate',
          service: 'http',
          outcome: 'success',
          reason: 'ok',
        }).value,
      ).toBeGreaterThanOrEqual(1);

      const st = await run(LAUNCHER, [s.cf, 'status'], {
        ...s.env,
        LDIRECTORD_STATUS_USER: 'ops',
        LDIRECTORD_STATUS_PASSWORD: 'pw',
      });
      expect(st.code).toBe(0);
      expect(st.stderr).toMatch(
        new RegExp(`^ldirectord for ${s.cf.replace(/[.]/g, '\\.')} is running with pid: \\d+\\n$`),
      );
      const lines = st.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^VIRTUAL\s+REAL\s+HEALTH\s+OVERRIDE\s+WEIGHT cfg\/want\/kernel\s+LAST CHECK$/);
      expect(lines[1]).toMatch(
        new RegExp(`^127\\.0\\.0\\.1:8080\\s+127\\.0\\.0\\.1:${real.port}\\s+up\\s+-\\s+3/3/3\\s+HTTP`),
      );

      // maintenance from the JSON API: the real pool's forced-down path; then back
      const act = (override: string) =>
        fetch(`${url}api/action`, {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json', 'X-Ldirectord-Action': '1' },
          body: JSON.stringify({ target: R, override }),
        });
      expect(
        (
          await fetch(`${url}api/action`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Ldirectord-Action': '1' },
            body: JSON.stringify({ target: R, override: 'maintenance' }),
          })
        ).status,
      ).toBe(401);
      expect((await status()).virtuals[0]?.reals[0]).toMatchObject({
        health: 'up',
        override: 'none',
        weight: { kernel: 3 },
      });
      expect((await act('maintenance')).status).toBe(200);
      await until('the real in maintenance and out of the kernel', async () => {
        const r = (await status()).virtuals[0]?.reals[0];
        return r?.health === 'down' && r.override === 'maintenance' && r.weight.kernel === null ? r : undefined;
      });
      expect((await act('none')).status).toBe(200);
      await until('the real back at weight 3', async () => {
        const r = (await status()).virtuals[0]?.reals[0];
        return r?.health === 'up' && r.override === 'none' && r.weight.kernel === 3 ? true : undefined;
      });

      await real.down();
      await until('the real down and out of the kernel', async () => {
        const r = (await status()).virtuals[0]?.reals[0];
        return r?.health === 'down' && r.weight.kernel === null ? true : undefined;
      });
      expect((await status()).recent[0]).toMatchObject({
        kind: 'down',
        virtual: 'tcp:127.0.0.1:8080',
        real: `127.0.0.1:${real.port}`,
      });
    }, 60_000);

    it('keeps a drain across a restart of the daemon (the overrides file beside the pid file)', async () => {
      await real.down(); // a no-op unless the test before left it down
      await real.up();
      const R = `tcp:127.0.0.1:8080|127.0.0.1:${real.port}`;
      const real0 = async () => (await status()).virtuals[0]?.reals[0];
      await until('the real back up at weight 3', async () =>
        (await real0())?.weight.kernel === 3 ? true : undefined,
      );
      const drain = await fetch(`${url}api/action`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json', 'X-Ldirectord-Action': '1' },
        body: JSON.stringify({ target: R, override: 'drain' }),
      });
      expect(drain.status).toBe(200);
      await until('the real drained to weight 0', async () =>
        (await real0())?.weight.kernel === 0 ? true : undefined,
      );
      const pidBefore = (await run(LAUNCHER, [s.cf, 'status'], s.env)).stderr;
      expect((await run(LAUNCHER, ['--dry-run', s.cf, 'restart'], s.env)).code).toBe(0);
      expect((await run(LAUNCHER, [s.cf, 'status'], s.env)).stderr).not.toBe(pidBefore); // a new process
      const after = await until('the restarted daemon with the drain restored', async () => {
        const r = await real0();
        return r?.override === 'drain' && r.weight.kernel === 0 && r.health === 'up' ? r : undefined;
      });
      expect(after.id).toBe(R);
      expect(readFileSync(s.log, 'utf8')).toContain(`set to drain`);
      expect(readFileSync(s.log, 'utf8')).toMatch(
        /operator override restored from \S+overrides\.json: \S+ set to drain/,
      );
    }, 60_000);
  });
});
