import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { smtpCheck } from '../../../src/health/services/smtp';
import { startPostfix, type PostfixServer } from '../../support/daemons/postfix';
import { descendants } from '../../support/leaks';
import { makeSpec, never } from './spec-fixture';
import { until } from '../../support/until';

let postfix: PostfixServer;
beforeAll(async () => {
  postfix = await startPostfix();
}, 30_000);
afterAll(async () => {
  await postfix?.stop();
  expect(descendants()).toEqual([]); // master and every smtpd it forked are gone
});

const matrix = (['smtp', 'submission'] as const).flatMap((s) => ['127.0.0.1', '::1'].map((a) => [s, a] as const));

it.each(matrix)('%s on %s: up after greeting and EHLO from a real Postfix', async (service, address) => {
  const port = service === 'smtp' ? postfix.smtp : postfix.submission;
  const r = await smtpCheck(makeSpec({ service, address, port }), never);
  expect(r).toMatchObject({ ok: true });
  expect(r.reason).toMatch(new RegExp(`^${service.toUpperCase()} .*:${port}: 220 mx\\.test ESMTP ldts-test$`));
});

it('down when nothing listens', async () => {
  const r = await smtpCheck(makeSpec({ service: 'smtp', port: 1 }), never);
  expect(r).toMatchObject({ ok: false, reason: 'SMTP 127.0.0.1:1: connect failed: ECONNREFUSED' });
});

describe('the dialogue against scripted servers (what Postfix cannot be made to do)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
  });
  /** A server answering each command line from `answer` (undefined = stay silent); records the lines. */
  async function scripted(greeting: string | undefined, answer: (line: string) => string | undefined) {
    const lines: string[] = [];
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      if (greeting !== undefined) s.write(`${greeting}\r\n`);
      let buf = '';
      s.on('data', (c) => {
        buf += c.toString();
        let nl: number;
        while ((nl = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 2);
          lines.push(line);
          const a = answer(line);
          if (a !== undefined) s.write(`${a}\r\n`);
        }
      });
    });
    server.on('close', () => sockets.forEach((s) => s.destroy()));
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const close = server.close.bind(server);
    server.close = (cb) => {
      sockets.forEach((s) => s.destroy());
      return close(cb);
    };
    return { port: (server.address() as AddressInfo).port, lines };
  }

  it('EHLO refused with 5xx: HELO, then QUIT; up', async () => {
    const s = await scripted('220 old.test SMTP', (l) =>
      l.startsWith('EHLO') ? '502 5.5.2 no' : l.startsWith('HELO') ? '250 old.test' : '221 bye',
    );
    const r = await smtpCheck(makeSpec({ service: 'smtp', port: s.port }), never);
    expect(r).toMatchObject({ ok: true, reason: `SMTP 127.0.0.1:${s.port}: 220 old.test SMTP` });
    await until('QUIT', () => (s.lines.includes('QUIT') ? true : undefined));
    expect(s.lines.map((l) => l.split(' ')[0])).toEqual(['EHLO', 'HELO', 'QUIT']);
  });

  it('a greeting other than 220 is down with the reply', async () => {
    const s = await scripted('554 5.3.2 go away', () => undefined);
    const r = await smtpCheck(makeSpec({ service: 'submission', port: s.port }), never);
    expect(r).toMatchObject({ ok: false, reason: `SUBMISSION 127.0.0.1:${s.port}: greeting: 554 5.3.2 go away` });
  });

  it('a server that never greets is down at negotiatetimeout; an abort ends the check at once', async () => {
    const s = await scripted(undefined, () => undefined);
    const r = await smtpCheck(makeSpec({ service: 'smtp', port: s.port, negotiatetimeout: 0.3 }), never);
    expect(r).toMatchObject({ ok: false, reason: `SMTP 127.0.0.1:${s.port}: timed out after 0.3 s` });
    const ac = new AbortController();
    const pending = smtpCheck(makeSpec({ service: 'smtp', port: s.port, negotiatetimeout: 60 }), ac.signal);
    ac.abort();
    expect(await pending).toMatchObject({ ok: false, reason: `SMTP 127.0.0.1:${s.port}: check aborted` });
  });
});
