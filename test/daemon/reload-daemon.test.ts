// Reloads of a real daemon process (`ldirectord --dry-run CONFIG start` through the CLI launcher: real director,
// real health pool, in-memory IPVS table): config warnings logged at start and on reload, a rejected reload
// logged in docs/compat.md's wording and counted in /metrics, a reload that would remove every virtual
// refused, and a FIFO in conf.d that neither wedges the reload nor the stop, which still purges the
// cleanstop virtual.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pidFilePath } from '../../src/daemon/pidfile';
import { LAUNCHER, REAL_DIRECTOR, run, sandbox } from '../integration/support';
import { parsePrometheusText, sampleOf } from '../observe/metrics/support/prom-text';
import { processGone, readLines, waitFor, waitForLine } from './support/wait';
import { freePort } from '../support/ports';

if (!REAL_DIRECTOR) console.warn('SKIPPING the reload-daemon test: src/health/pool.ts is not in this build');
const maybe = REAL_DIRECTOR ? describe : describe.skip;

maybe('reloads of a real daemon process (--dry-run)', () => {
  it('warnings logged, rejections logged and counted, an empty reload refused, a FIFO in conf.d harmless, stop purges', async () => {
    const s = sandbox();
    const port = await freePort();
    mkdirSync(path.join(s.dir, 'conf.d'));
    const cf = (body: string): string =>
      ['checkinterval=1', `statusaddress=127.0.0.1:${port}`, `logfile="${s.log}"`, 'confdir=conf.d', body, ''].join(
        '\n',
      );
    const virtual = 'virtual=127.0.0.1:8080\n\treal=127.0.0.2:8080 masq\n\tchecktype=on';
    writeFileSync(s.cf, cf(`checkcount=2\n${virtual}`));
    const lines = (re: RegExp): number => readLines(s.log).filter((l) => re.test(l)).length;
    const failures = async (): Promise<number> => {
      const f = parsePrometheusText(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      return sampleOf(f, 'ldirectord_config_reloads_total', { result: 'failure' }).value;
    };

    expect(await run(LAUNCHER, ['--dry-run', s.cf, 'start'], s.env)).toMatchObject({ code: 0 });
    const pid = Number(readFileSync(pidFilePath(s.runDir, s.cf), 'utf8').split('\n')[0]);
    // A warning of a good config is logged at start (the daemon read `loaded.warnings`, always empty).
    await waitForLine(s.log, /W_DEPRECATED checkcount is deprecated/);
    expect(lines(/W_DEPRECATED/)).toBe(1);

    // A good reload logs its warnings too.
    writeFileSync(s.cf, cf(`checkcount=3\n${virtual}`));
    process.kill(pid, 'SIGHUP');
    await waitFor('the warning of the reload', () => lines(/W_DEPRECATED/) === 2);

    // A broken config: every error with file:line, then the line docs/compat.md gives, and the metric.
    writeFileSync(s.cf, cf(`bogus=1\n${virtual}`));
    process.kill(pid, 'SIGHUP');
    await waitForLine(s.log, new RegExp(`Reload of ${s.cf} rejected: 1 error; the running configuration is unchanged`));
    expect(lines(new RegExp(`${s.cf}:5:1: E_UNKNOWN_DIRECTIVE`))).toBe(1);
    expect(await failures()).toBe(1);

    // A config without any virtual: refused, with a warning, counted.
    writeFileSync(s.cf, cf(''));
    process.kill(pid, 'SIGHUP');
    await waitForLine(
      s.log,
      /E_EMPTY_RELOAD the new configuration has no virtual service: the reload would remove all 1 running; refused/,
    );
    expect(await failures()).toBe(2);

    // A FIFO in conf.d: the reload is rejected at once (not wedged), then TERM stops the daemon, purging.
    writeFileSync(s.cf, cf(virtual));
    execFileSync('mkfifo', [path.join(s.dir, 'conf.d', 'fifo.cf')]);
    process.kill(pid, 'SIGHUP');
    await waitForLine(s.log, /conf\.d\/fifo\.cf:1:1: E_NOT_REGULAR .*fifo\.cf is a FIFO, not a regular file/);
    expect(await failures()).toBe(3);
    expect(await run(LAUNCHER, ['--dry-run', s.cf, 'stop'], s.env, 30_000)).toMatchObject({ code: 0 });
    expect(processGone(pid)).toBe(true);
    expect(lines(/Purged virtual server \(stop\): 127\.0\.0\.1:8080/)).toBe(1);
    expect(lines(/Linux Director Daemon terminated on signal: TERM/)).toBe(1);
  }, 120_000);
});
