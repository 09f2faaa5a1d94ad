// Alert delivery through the local mailer when no smtp= is set: `/usr/sbin/sendmail -t -i` with the message
// on stdin (recipients come from the To: header). The message is composed by nodemailer (required here, when a
// mail is sent) as for SMTP. Spawn is injected; a missing mailer, a non-zero exit or a hang past the timeout
// rejects with an AlertError.

import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { AlertError } from './alert-error';
import { mailOptions } from './compose';
import type { OutgoingAlert } from './message';

export const SENDMAIL = '/usr/sbin/sendmail';

export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** The whole message text (headers and body, CRLF line ends), as nodemailer would send it over SMTP. */
export async function composeMessage(alert: OutgoingAlert): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when a mail is sent (decision 014)
  const nodemailer = require('nodemailer') as typeof import('nodemailer');
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await composer.sendMail(mailOptions(alert));
  return info.message.toString('utf8');
}

export async function sendAlertViaSendmail(
  spawn: SpawnFn,
  alert: OutgoingAlert,
  timeoutMs: number,
  sendmail = SENDMAIL,
): Promise<void> {
  await sendViaSendmail(spawn, await composeMessage(alert), timeoutMs, sendmail);
}

export function sendViaSendmail(
  spawn: SpawnFn,
  message: string,
  timeoutMs: number,
  sendmail = SENDMAIL,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const done = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err === undefined) resolve();
      else reject(err);
    };
    const child = spawn(sendmail, ['-t', '-i'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (c: string) => {
      if (stderr.length < 2000) stderr += c;
    });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      done(new AlertError('ALERT_TIMEOUT', `${sendmail} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => done(new AlertError('ALERT_SENDMAIL', `${sendmail}: ${e.message}`, e)));
    child.on('close', (code, signal) => {
      if (code === 0) done();
      else done(new AlertError('ALERT_SENDMAIL', `${sendmail} exited with ${code ?? signal}: ${stderr.trim()}`));
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(message);
  });
}
