// Alert mails through a real Postfix offering STARTTLS (a certificate from the test CA) and AUTH (Dovecot's
// SASL, only after STARTTLS): smtpstarttls=yes verifies the certificate and authenticates; a wrong password,
// an untrusted certificate and a server without STARTTLS each fail the mail with a reason naming the step.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutgoingAlert } from '../../src/daemon/alerts/message';
import { systemAlertTransport } from '../../src/daemon/process/system';
import { startDovecot, type DovecotServer } from '../support/daemons/dovecot';
import { startPostfix, type PostfixServer } from '../support/daemons/postfix';
import { descendants } from '../support/leaks';
import { createTlsFixtures, type TlsFixtures } from '../support/tls';

let tls: TlsFixtures;
let dovecot: DovecotServer;
let postfix: PostfixServer;
let plainPostfix: PostfixServer;
const dir = mkdtempSync(join(tmpdir(), 'ldd-smtp-auth-'));
const authSocket = join(dir, 'auth');

beforeAll(async () => {
  chmodSync(dir, 0o755);
  tls = createTlsFixtures();
  chmodSync(tls.dir, 0o755); // smtpd reads the key as postfix
  dovecot = await startDovecot({
    user: 'director',
    password: 'alert-pw',
    certPath: tls.good.certPath,
    keyPath: tls.good.keyPath,
    authSocket,
  });
  postfix = await startPostfix({
    tls: { certPath: tls.good.certPath, keyPath: tls.good.keyPath },
    dovecotAuth: authSocket,
  });
  plainPostfix = await startPostfix();
}, 60_000);
afterAll(async () => {
  await postfix?.stop();
  await plainPostfix?.stop();
  await dovecot?.stop();
  tls?.cleanup();
  expect(descendants()).toEqual([]);
});

const alert: OutgoingAlert = {
  sender: 'root@lb1.test',
  from: 'director@lb1.test',
  recipients: ['ops@example.org'],
  mail: { subject: '[web] Deleted real server: 10.0.0.5:80 (10.0.0.1:80)', body: 'ldirectord host: lb1\n' },
  date: new Date(Date.UTC(2026, 11, 2, 4, 40)),
};
function passwordFile(pw: string): string {
  const f = join(dir, `pw-${pw}`);
  writeFileSync(f, `${pw}\n`, { mode: 0o600 });
  return f;
}

it('smtpstarttls=yes with AUTH: STARTTLS verified against the CA, AUTH accepted, the mail accepted', async () => {
  const t = systemAlertTransport('lb1.test', { port: postfix.smtp, ca: tls.ca });
  await expect(
    t.smtp('127.0.0.1', alert, { starttls: 'yes', user: 'director', passwordFile: passwordFile('alert-pw') }),
  ).resolves.toBeUndefined();
});

it('a wrong password fails the mail at AUTH', async () => {
  const t = systemAlertTransport('lb1.test', { port: postfix.smtp, ca: tls.ca });
  await expect(
    t.smtp('127.0.0.1', alert, { starttls: 'yes', user: 'director', passwordFile: passwordFile('wrong') }),
  ).rejects.toMatchObject({
    code: 'ALERT_SMTP',
    message: expect.stringMatching(/^SMTP 127\.0\.0\.1:\d+ AUTH PLAIN: .*535/),
  });
});

it('smtpstarttls=yes refuses a certificate it cannot verify; auto encrypts without checking it', async () => {
  const untrusted = systemAlertTransport('lb1.test', { port: postfix.smtp });
  await expect(untrusted.smtp('127.0.0.1', alert, { starttls: 'yes' })).rejects.toMatchObject({
    code: 'ALERT_SMTP',
    message: expect.stringMatching(/certificate/i),
  });
  await expect(untrusted.smtp('127.0.0.1', alert, { starttls: 'auto' })).resolves.toBeUndefined();
});

it('a server without STARTTLS: yes fails, auto and no send in plain text', async () => {
  const t = systemAlertTransport('lb1.test', { port: plainPostfix.smtp, ca: tls.ca });
  await expect(t.smtp('127.0.0.1', alert, { starttls: 'yes' })).rejects.toMatchObject({
    code: 'ALERT_SMTP',
    message: expect.stringMatching(/STARTTLS/),
  });
  await expect(t.smtp('127.0.0.1', alert, { starttls: 'auto' })).resolves.toBeUndefined();
  await expect(t.smtp('127.0.0.1', alert, { starttls: 'no' })).resolves.toBeUndefined();
});
