import { mkdtempSync, readFileSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createServerEvents } from '../../src/daemon/alerts/events';
import {
  createMonitorFileWriter,
  escapeMonitorMessage,
  formatMonitorLine,
  monitorIdentity,
  recordsResult,
} from '../../src/daemon/monitorfile';
import { ctime } from '../../src/observe/log/ctime';
import { memoryLogger } from './support/memory-logger';
import { configFrom } from './support/virtuals';

const AT = new Date(2026, 10, 21, 13, 34, 54).getTime();

describe('monitorfile lines (docs/behaviour.md §4.8)', () => {
  it('has the format the original actually writes', async () => {
    const c = await configFrom(
      [
        'virtual=127.0.0.1:80',
        '\treal=127.0.0.1:18080 gate',
        '\tservice=http',
        '\tchecktype=negotiate',
        '\trequest="index.html"',
        '\treceive="Test Page"',
        '\tmonitorfile=@DIR@/monitor.log',
        '',
      ].join('\n'),
    );
    const v = c.virtuals[0]!;
    const r = v.reals[0]!;
    expect(monitorIdentity(v, r)).toBe('negotiate http tcp 127.0.0.1 18080 1 gate /index.html Test Page');
    expect(formatMonitorLine(AT, 20109, v, { virtuals: [v], real: r, ok: true, reason: '200 OK' })).toBe(
      '[Sat Nov 21 13:34:54 2026] [20109] negotiate http tcp 127.0.0.1 18080 1 gate /index.html Test Page [up] 200 OK\n',
    );
    expect(ctime(AT)).toBe('Sat Nov 21 13:34:54 2026');
  });

  it('escapes %, |, CR and LF in the message', () => {
    expect(escapeMonitorMessage('50% | a\r\nb')).toBe('50%25 %7C a%0D%0Ab');
  });

  it('external checks show the command; IPv6 reals are bracketed', async () => {
    const c = await configFrom(
      [
        'virtual6=[::1]:80',
        '\treal6=[::1]:8080 masq 3',
        '\tchecktype=external',
        '\tcheckcommand=/usr/local/bin/check',
        '\tmonitorfile=@DIR@/m.log',
        '',
      ].join('\n'),
    );
    const v = c.virtuals[0]!;
    expect(monitorIdentity(v, v.reals[0]!)).toBe('external /usr/local/bin/check tcp [::1] 8080 3 masq /');
  });

  it('no line for checktype on / external-perl, a failed ping, or without monitorfile', async () => {
    const c = await configFrom(
      [
        'virtual=127.0.0.1:80',
        '\treal=127.0.0.2:80 gate',
        '\tchecktype=ping',
        '\tmonitorfile=@DIR@/m.log',
        '',
        'virtual=127.0.0.1:81',
        '\treal=127.0.0.2:81 gate',
        '\tchecktype=on',
        '\tmonitorfile=@DIR@/m.log',
        '',
        'virtual=127.0.0.1:82',
        '\treal=127.0.0.2:82 gate',
        '\tchecktype=connect',
        '',
      ].join('\n'),
    );
    const [ping, on, connect] = c.virtuals;
    expect(recordsResult(ping!, true)).toBe(true);
    expect(recordsResult(ping!, false)).toBe(false);
    expect(recordsResult(on!, true)).toBe(false);
    expect(recordsResult(connect!, true)).toBe(false);
  });
});

describe('monitorfile writer', () => {
  it('appends one line per virtual that has a monitorfile, in order, from director events', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ldd-mon-'));
    const c = await configFrom(
      [
        'virtual=127.0.0.1:80',
        '\treal=127.0.0.2:80 gate',
        '\tchecktype=connect',
        `\tmonitorfile=${dir}/a.log`,
        '',
        'virtual=127.0.0.1:81',
        '\treal=127.0.0.2:80 gate',
        '\tchecktype=connect',
        `\tmonitorfile=${dir}/b.log`,
        '',
      ].join('\n'),
    );
    const [a, b] = c.virtuals;
    const events = createServerEvents();
    const w = createMonitorFileWriter({
      appendFile: (f, d) => fs.appendFile(f, d),
      now: () => AT,
      pid: 7,
      logger: memoryLogger(),
    });
    const detach = w.attach(events);
    events.emitCheckResult({
      virtuals: [a!, b!],
      real: a!.reals[0]!,
      ok: false,
      reason: 'connect 127.0.0.2:80: ECONNREFUSED',
    });
    await w.record({ virtuals: [a!], real: a!.reals[0]!, ok: true, reason: 'connected' });
    detach();
    events.emitCheckResult({ virtuals: [a!], real: a!.reals[0]!, ok: true, reason: 'not recorded' });
    await w.record({ virtuals: [], real: a!.reals[0]!, ok: true, reason: 'nothing' });
    expect(readFileSync(`${dir}/a.log`, 'utf8')).toBe(
      [
        '[Sat Nov 21 13:34:54 2026] [7] connect http tcp 127.0.0.2 80 1 gate / [down] connect 127.0.0.2:80: ECONNREFUSED',
        '[Sat Nov 21 13:34:54 2026] [7] connect http tcp 127.0.0.2 80 1 gate / [up] connected',
        '',
      ].join('\n'),
    );
    expect(readFileSync(`${dir}/b.log`, 'utf8').split('\n')).toHaveLength(2);
  });

  it('a write failure is logged once per distinct error and never thrown; recovery is logged', async () => {
    const c = await configFrom(
      ['virtual=127.0.0.1:80', '\treal=127.0.0.2:80 gate', '\tchecktype=connect', '\tmonitorfile=@DIR@/m.log', ''].join(
        '\n',
      ),
    );
    const v = c.virtuals[0]!;
    const logger = memoryLogger();
    let fail = true;
    const w = createMonitorFileWriter({
      appendFile: async () => {
        if (fail) throw new Error('ENOSPC: no space left on device');
      },
      now: () => AT,
      pid: 1,
      logger,
    });
    const e = { virtuals: [v], real: v.reals[0]!, ok: true, reason: 'ok' };
    await w.record(e);
    await w.record(e);
    fail = false;
    await w.record(e);
    expect(logger.lines).toEqual([
      `error: Error writing to monitorfile ${v.monitorfile}: ENOSPC: no space left on device`,
      `info: monitorfile ${v.monitorfile} is writable again`,
    ]);
  });
});
