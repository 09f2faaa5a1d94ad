// The daemon's movable log destination (src/daemon/process/current-log.ts): the logger handed out once at
// start follows every switch, and a switch moves the lines to the new logfile.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CurrentLog } from '../../src/daemon/process/current-log';
import type { Config } from '../../src/model/config';

const withLogfile = (logfile: string): Config => ({ global: { logfile } }) as unknown as Config;

test('the start-time logger writes to whichever logfile the last switch chose', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'current-log-'));
  const first = path.join(dir, 'first.log');
  const second = path.join(dir, 'second.log');
  const log = new CurrentLog({ debug: false, foreground: false, configArg: 'test.cf', pid: 4242, now: () => 0 });
  const early = log.logger;
  early.info('before any config');
  expect(existsSync(first)).toBe(false);

  log.switchTo(withLogfile(first)).info('direct to first');
  early.info('via the start-time logger, first');
  log.switchTo(withLogfile(second));
  early.error('via the start-time logger, second');
  await Promise.resolve(); // the lines of a burst are appended at the end of the task (line-batch.ts)

  const lines = (f: string): string[] =>
    readFileSync(f, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.replace(/^\[[^\]]*\] /, ''));
  expect(lines(first)).toEqual(['direct to first', 'via the start-time logger, first']);
  expect(lines(second)).toEqual(['via the start-time logger, second']);
  expect(readFileSync(second, 'utf8')).toContain('|test.cf|4242]');
});
