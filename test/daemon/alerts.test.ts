import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createAlerter } from '../../src/daemon/alerts/alerter';
import type { ServerChange } from '../../src/daemon/alerts/events';
import { buildAlert, type OutgoingAlert } from '../../src/daemon/alerts/message';
import { applyChange, dueReminders } from '../../src/daemon/alerts/reminders';
import { composeMessage, sendAlertViaSendmail, sendViaSendmail } from '../../src/daemon/alerts/sendmail';
import { sendSmtp, type SmtpOptions } from '../../src/daemon/alerts/smtp';
import { systemAlertTransport } from '../../src/daemon/process/system';
import type { DaemonState, VirtualService } from '../../src/model/config';
import { createFakeClock, flushMicrotasksThenImmediate, WALL_CLOCK_START } from '../support/fake-clock';
import { memoryLogger } from './support/memory-logger';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { configFrom } from './support/virtuals';

const CF = `emailalert="ops@example.org, oncall@example.org"
emailalertfrom=director@example.org
emailalertfreq=10
smtp=127.0.0.1
virtual=127.0.0.1:8080
\treal=127.0.0.2:8080 masq
\treal=127.0.0.3:8080 masq
\tfallback=127.0.0.9:8080 masq
\tchecktype=on
\tservicename=web shop
\tcomment=front tier
\temailalertstatus=running,stopping
`;

async function web(): Promise<VirtualService> {
  const c = await configFrom(CF);
  const v = c.virtuals[0];
  if (v === undefined) throw new Error('no virtual');
  return v;
}

const change = (
  v: VirtualService,
  kind: ServerChange['kind'],
  address = '127.0.0.2',
  fallback = false,
): ServerChange => ({
  kind,
  virtual: v,
  server: { address, port: 8080 },
  fallback,
  message: `${kind === 'deleted' ? 'Deleted' : kind === 'restored' ? 'Restored' : 'Added'} real server: ${address}:8080 (127.0.0.1:8080)`,
});

describe('alert message (docs/behaviour.md §4.9)', () => {
  it('subject is the log text prefixed with [servicename]; body carries host, message, state, service, comment', () => {
    const m = buildAlert({
      text: 'Deleted real server: 10.0.0.5:80 (10.0.0.1:80)',
      hostname: 'lb1',
      state: 'running',
      servicename: 'web',
      comment: 'front',
    });
    expect(m.subject).toBe('[web] Deleted real server: 10.0.0.5:80 (10.0.0.1:80)');
    expect(m.body).toBe(
      [
        'ldirectord host: lb1',
        'Log-Message: [web] Deleted real server: 10.0.0.5:80 (10.0.0.1:80)',
        'Daemon-Status: running',
        'Service name: web',
        'Comment: front',
        '',
      ].join('\n'),
    );
    expect(buildAlert({ text: 'x', hostname: 'h', state: 'starting' }).body).toBe(
      'ldirectord host: h\nLog-Message: x\nDaemon-Status: starting\n',
    );
  });

  it('nodemailer writes the headers: Message-ID, Date, RFC 2047 for non-ASCII text, UTF-8 body', async () => {
    const text = await composeMessage(
      alert(['t@example.org'], { mail: { subject: '[café] Deleted real server', body: 'Comment: crème\n' } }),
    );
    const [head = '', body = ''] = text.split('\r\n\r\n');
    expect(head).toMatch(/^Message-ID: <[0-9a-f-]{36}@h>$/m);
    expect(head).toMatch(/^Date: Sat, 21 Nov 2026 13:37:18 \+0000$/m);
    expect(head).toMatch(/^Subject: =\?UTF-8\?Q\?=5Bcaf=C3=A9=5D_Deleted_real_server\?=$/m);
    expect(head).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
    expect(head).toMatch(/^From: director@example\.org$/m);
    expect(head).toMatch(/^To: t@example\.org$/m);
    expect(body).toBe('Comment: cr=C3=A8me\r\n');
  });
});

const DATE = new Date(Date.UTC(2026, 10, 21, 13, 37, 18));
function alert(recipients: readonly string[], o: Partial<OutgoingAlert> = {}): OutgoingAlert {
  return {
    sender: 's@h',
    from: 'director@example.org',
    recipients,
    mail: { subject: 'x', body: 'body\n' },
    date: DATE,
    ...o,
  };
}
const plain = (port: number, o: Partial<SmtpOptions> = {}): SmtpOptions => ({
  host: '127.0.0.1',
  port,
  helo: 'h',
  timeoutMs: 5000,
  starttls: 'no',
  ...o,
});

describe('SMTP delivery against a loopback server', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
  });

  it('EHLO, MAIL FROM user@host, one RCPT per recipient, DATA with headers and body', async () => {
    sink = await startSmtpSink();
    const v = await web();
    const clock = createFakeClock({ start: Date.UTC(2026, 10, 21, 13, 37, 18) });
    const logger = memoryLogger();
    let state: DaemonState = 'running';
    const alerter = createAlerter({
      hostname: 'lb1.example.org',
      user: 'root',
      clock,
      logger,
      state: () => state,
      from: () => 'director@example.org',
      transport: systemAlertTransport('lb1.example.org', { port: sink.port }),
    });
    alerter.handle(change(v, 'deleted'));
    await alerter.idle();
    expect(sink.commands).toEqual([
      'EHLO lb1.example.org',
      'MAIL FROM:<root@lb1.example.org>',
      'RCPT TO:<ops@example.org>',
      'RCPT TO:<oncall@example.org>',
      'DATA',
    ]);
    const [m] = sink.messages;
    expect(m?.recipients).toEqual(['ops@example.org', 'oncall@example.org']);
    const data = m?.data ?? '';
    expect(data).toContain('From: director@example.org\r\n');
    expect(data).toContain('To: ops@example.org, oncall@example.org\r\n');
    expect(data).toContain('Subject: [web shop] Deleted real server: 127.0.0.2:8080 (127.0.0.1:8080)\r\n');
    expect(data).toContain('Date: Sat, 21 Nov 2026 13:37:18 +0000\r\n');
    expect(data.split('\r\n\r\n')[1]).toBe(
      [
        'ldirectord host: lb1.example.org',
        'Log-Message: [web shop] Deleted real server: 127.0.0.2:8080 (127.0.0.1:8080)',
        'Daemon-Status: running',
        'Service name: web shop',
        'Comment: front tier',
      ].join('\r\n'),
    );
    expect(logger.lines).toEqual(['info: emailalert: [web shop] Deleted real server: 127.0.0.2:8080 (127.0.0.1:8080)']);

    // emailalertstatus=running,stopping: nothing while starting or reloading.
    state = 'starting';
    alerter.handle(change(v, 'restored'));
    state = 'reloading';
    alerter.handle(change(v, 'deleted', '127.0.0.3'));
    await alerter.idle();
    expect(sink.messages).toHaveLength(1);
  });

  it('falls back to HELO when EHLO is refused', async () => {
    sink = await startSmtpSink({ noEhlo: true });
    await sendSmtp(alert(['r@h']), plain(sink.port));
    expect(sink.commands.slice(0, 2)).toEqual(['EHLO h', 'HELO h']);
    expect(sink.messages).toHaveLength(1);
  });

  it('refused recipients: the others still get the mail; all refused → ALERT_SMTP, logged, not thrown', async () => {
    sink = await startSmtpSink({ refuse: (r) => r.startsWith('ops') });
    await sendSmtp(alert(['ops@x', 'dev@x']), plain(sink.port));
    expect(sink.messages.map((m) => m.recipients)).toEqual([['dev@x']]);
    await expect(sendSmtp(alert(['ops@x']), plain(sink.port))).rejects.toMatchObject({
      code: 'ALERT_SMTP',
      message: expect.stringMatching(
        /^SMTP 127\.0\.0\.1:\d+ RCPT TO: .*all recipients were rejected: 550 5\.1\.1 <ops@x> unknown user$/,
      ),
    });

    const v = await web();
    const logger = memoryLogger();
    const alerter = createAlerter({
      hostname: 'h',
      user: 'root',
      clock: createFakeClock({ start: WALL_CLOCK_START }),
      logger,
      state: () => 'running',
      from: () => undefined,
      transport: systemAlertTransport('h', { port: sink.port }),
    });
    const all = { ...v, emailalert: ['ops@x'] };
    alerter.handle(change(all, 'deleted'));
    await alerter.idle();
    expect(logger.lines[1]).toMatch(
      /^error: failed to send SMTP email message: SMTP 127\.0\.0\.1:\d+ RCPT TO: .*all recipients were rejected/,
    );
  });

  it('a server that never answers times out with ALERT_TIMEOUT', async () => {
    sink = await startSmtpSink({ silent: true });
    // The sink accepts and never greets: the greeting wait is what times out. On a starved machine (CI's
    // parallel jest run) the process can wake after both the connect and the bound are due, and then the
    // connect timer fires first: either step may be named, the bound must be.
    await expect(sendSmtp(alert(['r@h']), plain(sink.port, { timeoutMs: 1500 }))).rejects.toMatchObject({
      code: 'ALERT_TIMEOUT',
      message: expect.stringMatching(/(greeting|connect): no answer within 1500 ms/),
    });
  });

  it('a closed port is ALERT_SMTP naming the step', async () => {
    sink = await startSmtpSink();
    const port = sink.port;
    await sink.close();
    sink = undefined;
    await expect(sendSmtp(alert(['r@h']), plain(port))).rejects.toMatchObject({
      code: 'ALERT_SMTP',
      message: expect.stringContaining('connect: connect ECONNREFUSED'),
    });
  });
});

describe('header and envelope injection', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
  });
  const EVIL = '\r\nBcc: evil@example.net\r\nX-Injected: yes';
  /** Header names after unfolding (a line starting with white space continues the header above it). */
  const headerNames = (text: string): string[] =>
    (text.split('\r\n\r\n')[0] ?? '')
      .replace(/\r\n[ \t]/g, ' ')
      .split('\r\n')
      .map((l) => l.split(':')[0] ?? '');

  it('CR LF in servicename, comment and the server text adds no header and no recipient (SMTP and sendmail -t)', async () => {
    sink = await startSmtpSink();
    const v = { ...(await web()), servicename: `web${EVIL}`, comment: `front${EVIL}` };
    const sent: OutgoingAlert[] = [];
    const transport = systemAlertTransport('lb1', { port: sink.port });
    const alerter = createAlerter({
      hostname: 'lb1',
      user: 'root',
      clock: createFakeClock({ start: WALL_CLOCK_START }),
      logger: memoryLogger(),
      state: () => 'running',
      from: () => 'director@example.org',
      transport: {
        smtp: (h, a, st) => {
          sent.push(a);
          return transport.smtp(h, a, st);
        },
        sendmail: async () => undefined,
      },
    });
    alerter.handle({ ...change(v, 'deleted'), message: `Deleted real server: 127.0.0.2${EVIL}` });
    await alerter.idle();
    expect(sink.messages.map((m) => m.recipients)).toEqual([['ops@example.org', 'oncall@example.org']]);
    const data = sink.messages[0]?.data ?? '';
    expect(headerNames(data).sort()).toEqual(
      [
        'Content-Transfer-Encoding',
        'Content-Type',
        'Date',
        'From',
        'MIME-Version',
        'Message-ID',
        'Subject',
        'To',
      ].sort(),
    );
    expect(sink.commands.filter((c) => /evil/i.test(c))).toEqual([]);
    // sendmail -t takes its recipients from To/Cc/Bcc: the composed text must not carry one either.
    const [a] = sent;
    if (a === undefined) throw new Error('nothing sent');
    expect(headerNames(await composeMessage(a)).filter((n) => /bcc|x-injected/i.test(n))).toEqual([]);
  });

  it('an address with CR LF is refused before any connection (the parser would read it as another address)', async () => {
    sink = await startSmtpSink();
    for (const bad of [
      alert(['r@h'], { sender: 's@h\r\nRCPT TO:<evil@example.net>' }),
      alert(['r@h\r\nRCPT TO:<evil@example.net>']),
      alert(['r@h'], { from: 'f@h\r\nBcc: evil@example.net' }),
    ]) {
      await expect(sendSmtp(bad, plain(sink.port))).rejects.toMatchObject({ code: 'ALERT_ADDRESS' });
      await expect(composeMessage(bad)).rejects.toMatchObject({ code: 'ALERT_ADDRESS' });
    }
    expect(sink.commands).toEqual([]);
  });
});

describe('emailalertfreq reminders', () => {
  it('Deleted registers, a reminder every emailalertfreq seconds, Restored clears; fallback never reminds', async () => {
    const v = await web();
    let t = applyChange(new Map(), change(v, 'deleted'), () => 0);
    t = applyChange(t, change(v, 'deleted', '127.0.0.9', true), () => 0);
    expect([...t.keys()]).toEqual(['tcp:127.0.0.1:8080|127.0.0.2|8080']);
    expect(dueReminders(t, 9_999).due).toEqual([]);
    const r1 = dueReminders(t, 10_000);
    expect(r1.due.map((r) => r.text)).toEqual(['Inaccessible real server: 127.0.0.2:8080 (127.0.0.1:8080)']);
    expect(dueReminders(r1.table, 19_999).due).toEqual([]);
    expect(dueReminders(r1.table, 20_000).due).toHaveLength(1);
    const cleared = applyChange(r1.table, change(v, 'restored'), () => 20_500);
    expect(dueReminders(cleared, 100_000).due).toEqual([]);
  });

  it('the clock is read only when a reminder starts; a change that leaves the table returns it as it is', async () => {
    const v = await web();
    let reads = 0;
    const now = (): number => {
      reads += 1;
      return 5_000;
    };
    const empty = new Map();
    expect(applyChange(empty, change(v, 'restored'), now)).toBe(empty); // nothing to clear
    const once = applyChange(empty, change(v, 'deleted'), now);
    expect(reads).toBe(1);
    expect([...once.values()].map((r) => r.sentAt)).toEqual([5_000]);
    expect(applyChange(once, change(v, 'deleted'), now)).toBe(once); // already reminding
    const quiet = { ...v, emailalertfreq: 0 };
    expect(applyChange(empty, change(quiet, 'deleted'), now)).toBe(empty);
    expect(reads).toBe(1);
  });

  it('the alerter sends reminders on its clock and stops when the server returns', async () => {
    const v = await web();
    const clock = createFakeClock({ start: WALL_CLOCK_START });
    const sent: string[] = [];
    const alerter = createAlerter({
      hostname: 'h',
      user: 'root',
      clock,
      logger: memoryLogger(),
      state: () => 'running',
      from: () => undefined,
      transport: {
        smtp: async (_h, m) => {
          sent.push(m.mail.subject);
        },
        sendmail: async () => undefined,
      },
    });
    alerter.start();
    alerter.handle(change(v, 'deleted'));
    clock.advance(25_000);
    await flushMicrotasksThenImmediate();
    await alerter.idle();
    expect(sent).toEqual([
      '[web shop] Deleted real server: 127.0.0.2:8080 (127.0.0.1:8080)',
      '[web shop] Inaccessible real server: 127.0.0.2:8080 (127.0.0.1:8080)',
      '[web shop] Inaccessible real server: 127.0.0.2:8080 (127.0.0.1:8080)',
    ]);
    alerter.handle(change(v, 'restored'));
    clock.advance(60_000);
    await alerter.stop();
    expect(sent).toHaveLength(4);
    expect(sent[3]).toBe('[web shop] Restored real server: 127.0.0.2:8080 (127.0.0.1:8080)');
  });

  it('no recipients → no mail at all', async () => {
    const v = { ...(await web()), emailalert: [] };
    const calls: string[] = [];
    const alerter = createAlerter({
      hostname: 'h',
      user: 'root',
      clock: createFakeClock({ start: WALL_CLOCK_START }),
      logger: memoryLogger(),
      state: () => 'running',
      from: () => undefined,
      transport: {
        smtp: async () => {
          calls.push('smtp');
        },
        sendmail: async () => {
          calls.push('sendmail');
        },
      },
    });
    alerter.handle(change(v, 'deleted'));
    await alerter.idle();
    expect(calls).toEqual([]);
  });
});

describe('local mailer', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ldd-mail-'));
  const script = (body: string): string => {
    const f = path.join(dir, `sendmail-${Math.random().toString(36).slice(2)}`);
    writeFileSync(f, `#!/bin/sh\n${body}\n`);
    chmodSync(f, 0o755);
    return f;
  };

  it('an alert goes to sendmail -t -i as the message nodemailer composed', async () => {
    const out = path.join(dir, 'composed');
    const sm = script(`cat > ${out}`);
    await sendAlertViaSendmail(spawn, alert(['ops@example.org'], { mail: { subject: 'S', body: 'b\n' } }), 5000, sm);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^To: ops@example\.org\r$/m);
    expect(text).toMatch(/^Subject: S\r$/m);
    expect(text).toMatch(/^Message-ID: <[0-9a-f-]{36}@h>\r$/m);
    expect(text.endsWith('\r\n\r\nb\r\n')).toBe(true);
  });

  it('pipes the message to sendmail -t -i', async () => {
    const out = path.join(dir, 'out');
    const sm = script(`echo "$@" > ${out}.args; cat > ${out}`);
    await sendViaSendmail(spawn, 'To: a@b\r\nSubject: s\r\n\r\nbody\r\n', 5000, sm);
    expect(readFileSync(`${out}.args`, 'utf8')).toBe('-t -i\n');
    expect(readFileSync(out, 'utf8')).toBe('To: a@b\r\nSubject: s\r\n\r\nbody\r\n');
  });

  it('a failing or missing mailer is ALERT_SENDMAIL with its message', async () => {
    const sm = script('cat >/dev/null; echo "no such user" >&2; exit 67');
    await expect(sendViaSendmail(spawn, 'x', 5000, sm)).rejects.toMatchObject({
      code: 'ALERT_SENDMAIL',
      message: `${sm} exited with 67: no such user`,
    });
    await expect(sendViaSendmail(spawn, 'x', 5000, path.join(dir, 'missing'))).rejects.toMatchObject({
      code: 'ALERT_SENDMAIL',
    });
  });
});

describe('alerter stop', () => {
  it('waits for queued mails, but at most stopGraceMs; the rest are abandoned and logged', async () => {
    const v = await web();
    const clock = createFakeClock({ start: WALL_CLOCK_START });
    const logger = memoryLogger();
    const started: string[] = [];
    const alerter = createAlerter({
      hostname: 'h',
      user: 'root',
      clock,
      logger,
      state: () => 'stopping',
      from: () => undefined,
      stopGraceMs: 5000,
      transport: {
        smtp: (_h, m) => {
          started.push(m.mail.subject);
          return new Promise<void>(() => undefined);
        },
        sendmail: async () => undefined,
      },
    });
    alerter.handle(change(v, 'purged'));
    alerter.handle(change(v, 'purged', '127.0.0.3'));
    const stopped = alerter.stop();
    await flushMicrotasksThenImmediate();
    clock.advance(4999);
    await flushMicrotasksThenImmediate();
    let done = false;
    void stopped.then(() => {
      done = true;
    });
    await flushMicrotasksThenImmediate();
    expect(done).toBe(false);
    clock.advance(1);
    await stopped;
    expect(started).toHaveLength(1);
    expect(logger.lines.at(-1)).toBe(
      'error: emailalert: 2 alert mail(s) not sent: the mail server did not answer within 5 s of the stop',
    );
  });

  it('returns without waiting for the grace period when the queue is empty, and leaves no timer behind', async () => {
    const clock = createFakeClock({ start: WALL_CLOCK_START });
    const logger = memoryLogger();
    const alerter = createAlerter({
      hostname: 'h',
      user: 'root',
      clock,
      logger,
      state: () => 'running',
      from: () => undefined,
      transport: { smtp: async () => undefined, sendmail: async () => undefined },
    });
    alerter.start();
    expect(clock.pending()).toBe(1);
    await alerter.stop();
    expect(clock.pending()).toBe(0);
    expect(logger.lines).toEqual([]);
  });
});
