import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ctime } from '../../../src/observe/log/ctime';
import { createFileSink } from '../../../src/observe/log/file-sink';
import { createLogger } from '../../../src/observe/log/logger';
import { createDebugSink, createStderrSink, createStdoutSink } from '../../../src/observe/log/stream-sinks';
import { createSyslogSink } from '../../../src/observe/log/syslog-sink';
import { createLogSink, debugLogfileNote } from '../../../src/observe/log/destination';

const AT = new Date(2026, 10, 1, 9, 5, 7).getTime(); // local time Sun Nov  1 09:05:07 2026

describe('log destinations (docs/behaviour.md §1.6)', () => {
  test('ctime is Perl scalar localtime: day padded with a space', () => {
    expect(ctime(AT)).toBe('Sun Nov  1 09:05:07 2026');
    expect(ctime(new Date(2026, 10, 21, 13, 37, 18).getTime())).toBe('Sat Nov 21 13:37:18 2026');
  });

  test('-d: `[ctime] msg` on stderr, debug lines prefixed DEBUGn, above the verbosity dropped', () => {
    const out: string[] = [];
    const log = createLogger({ sink: createDebugSink((t) => out.push(t)), debugLevel: 2, now: () => AT });
    log.info('Added virtual server: 10.0.0.1:80');
    log.debug(2, 'two');
    log.debug(3, 'three');
    expect(out).toEqual([
      '[Sun Nov  1 09:05:07 2026] Added virtual server: 10.0.0.1:80\n',
      '[Sun Nov  1 09:05:07 2026] DEBUG2: two\n',
    ]);
  });

  test('plain stderr (before a config is loaded): the bare message', () => {
    const out: string[] = [];
    createLogger({ sink: createStderrSink((t) => out.push(t)), now: () => AT }).info('hello');
    expect(out).toEqual(['hello\n']);
  });

  test('supervised: stdout `[ctime] msg`', () => {
    const out: string[] = [];
    createLogger({ sink: createStdoutSink((t) => out.push(t)), now: () => AT }).info('hello');
    expect(out).toEqual(['[Sun Nov  1 09:05:07 2026] hello\n']);
  });

  test('logfile: `[ctime|CFGNAME|pid] msg`, appended per burst, survives logrotate moving the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ldlog-'));
    const file = path.join(dir, 'ldirectord.log');
    const log = createLogger({
      sink: createFileSink({ path: file, cfgName: 'ldirectord.cf', pid: 4242 }),
      now: () => AT,
    });
    log.info('one');
    expect(fs.existsSync(file)).toBe(false); // held until the end of the task (line-batch.ts)
    await Promise.resolve();
    fs.renameSync(file, `${file}.1`);
    log.info('two');
    log.info('three');
    await Promise.resolve();
    expect(fs.readFileSync(`${file}.1`, 'utf8')).toBe('[Sun Nov  1 09:05:07 2026|ldirectord.cf|4242] one\n');
    expect(fs.readFileSync(file, 'utf8')).toBe(
      '[Sun Nov  1 09:05:07 2026|ldirectord.cf|4242] two\n[Sun Nov  1 09:05:07 2026|ldirectord.cf|4242] three\n',
    );
    fs.rmSync(dir, { recursive: true });
  });

  test('logfile that cannot be written: each line goes to stderr with the reason, nothing throws', async () => {
    const err: string[] = [];
    const sink = createFileSink({ path: '/nonexistent-dir/x.log', cfgName: 'c', fallback: (t) => err.push(t) });
    const log = createLogger({ sink, now: () => AT });
    log.error('boom');
    log.error('bang');
    await Promise.resolve();
    expect(err).toHaveLength(2);
    expect(err[0]).toMatch(/^cannot write log file \/nonexistent-dir\/x\.log: ENOENT.*: \[[^\]]*\] boom\n$/);
    expect(err[1]).toMatch(/: \[[^\]]*\] bang\n$/);
  });

  test('an unknown syslog facility is a typed error naming the value', () => {
    expect(() => createSyslogSink({ facility: 'local9' })).toThrow(
      expect.objectContaining({ code: 'LOG_BAD_FACILITY' }),
    );
    expect(() => createLogSink({ debug: false, supervised: false, logfile: 'nonsense', cfgName: 'x' })).toThrow(
      /logfile "nonsense"/,
    );
  });

  test('syslog: one logger child carries every line with ident, pid and priority', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ldsyslog-'));
    const sock = path.join(dir, 'log');
    let received = '';
    let listening!: () => void;
    const ready = new Promise<void>((r) => (listening = r));
    const gotAll = new Promise<void>((resolve) => {
      const server = net.createServer((c) => {
        c.on('data', (b) => {
          received += b.toString();
          if (received.includes('second line')) {
            server.close();
            c.destroy();
            resolve();
          }
        });
      });
      server.listen(sock, listening);
    });
    await ready;
    const sink = createSyslogSink({ facility: 'local0', pid: 777, socketPath: sock });
    const log = createLogger({ sink, now: () => AT });
    log.info('first line');
    log.error('second line');
    await gotAll;
    await sink.close();
    // local0 = 16: info → <134>, err → <131>
    expect(received).toMatch(/<134>.*ldirectord\[777\]: first line/);
    expect(received).toMatch(/<131>.*ldirectord\[777\]: second line/);
    fs.rmSync(dir, { recursive: true });
  });

  test('-d writes stderr only, as ldirectord, and says so once when the config names another logfile', () => {
    expect(debugLogfileNote('/var/log/ldirectord.log')).toBeUndefined();
    expect(debugLogfileNote('/srv/lvs.log')).toBe(
      '-d: logging to stderr; logfile="/srv/lvs.log" is not written in -d mode (as ldirectord)',
    );
    expect(debugLogfileNote('local0')).toContain('logfile="local0"');
  });
});
