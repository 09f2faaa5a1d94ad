// Alert mails to the smtp= host through nodemailer's SMTP transport (docs/behaviour.md §4.9): one connection per
// message; EHLO (HELO if refused), STARTTLS as smtpstarttls says, AUTH when smtpuser is set, MAIL FROM, one
// RCPT TO per recipient (refused ones are skipped; all refused fails), DATA, then the connection is closed
// (nodemailer sends no QUIT on a one-message connection). nodemailer is required here,
// when a mail is sent, so a director without emailalert never loads it. Failures reject with an AlertError
// naming the server and the step.

import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { SmtpStartTls } from '../../model/config';
import { AlertError } from './alert-error';
import { mailOptions } from './compose';
import type { OutgoingAlert } from './message';

export interface SmtpOptions {
  readonly host: string;
  readonly port: number;
  /** Name given in EHLO/HELO. */
  readonly helo: string;
  /** Bound on each wait (connect, greeting, every reply); the whole dialogue gets one second more. */
  readonly timeoutMs: number;
  readonly starttls: SmtpStartTls;
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Extra trusted CAs for smtpstarttls=yes (the system's and NODE_EXTRA_CA_CERTS's otherwise). */
  readonly ca?: ConnectionOptions['ca'];
}

/** nodemailer's TLS options for each smtpstarttls value. */
function tlsOptions(o: SmtpOptions): Record<string, unknown> {
  switch (o.starttls) {
    case 'no':
      return { ignoreTLS: true };
    case 'auto':
      // Postfix's `may`: encrypt when offered, certificate not checked, plain text when the upgrade fails.
      return { opportunisticTLS: true, tls: { rejectUnauthorized: false } };
    case 'yes':
      return {
        requireTLS: true,
        tls: {
          rejectUnauthorized: true,
          ...(isIP(o.host) === 0 ? { servername: o.host } : {}),
          ...(o.ca !== undefined ? { ca: o.ca } : {}),
        },
      };
  }
}

interface NodemailerError extends Error {
  code?: string;
  command?: string;
}

const STEPS: Record<string, string> = { CONN: 'connect', API: 'message' };

function alertError(e: NodemailerError, o: SmtpOptions): AlertError {
  const where = `SMTP ${o.host}:${o.port}`;
  const command = e.command === undefined ? undefined : (STEPS[e.command] ?? e.command);
  const step = /greeting/i.test(e.message) ? 'greeting' : command;
  const at = step === undefined ? where : `${where} ${step}`;
  if (e.code === 'ETIMEDOUT') return new AlertError('ALERT_TIMEOUT', `${at}: no answer within ${o.timeoutMs} ms`, e);
  return new AlertError('ALERT_SMTP', `${at}: ${e.message}`, e);
}

export async function sendSmtp(alert: OutgoingAlert, o: SmtpOptions): Promise<void> {
  const options = mailOptions(alert);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when a mail is sent (decision 014)
  const nodemailer = require('nodemailer') as typeof import('nodemailer');
  const transport = nodemailer.createTransport({
    host: o.host,
    port: o.port,
    secure: false,
    name: o.helo,
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
    logger: false,
    debug: false,
    ...tlsOptions(o),
    // forceAuth: without it nodemailer skips AUTH when the server does not offer it, and sends unauthenticated.
    ...(o.auth !== undefined ? { auth: { user: o.auth.user, pass: o.auth.pass }, forceAuth: true } : {}),
  });
  // A server that drips one byte per socketTimeout would never time out reply by reply: one bound on the whole,
  // and the abort closes nodemailer's socket.
  const whole = o.timeoutMs + 1000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), whole);
  try {
    await transport.sendMail({ ...options, signal: controller.signal });
  } catch (e) {
    if (controller.signal.aborted) {
      throw new AlertError('ALERT_TIMEOUT', `SMTP ${o.host}:${o.port}: not done within ${whole} ms`, e);
    }
    throw alertError(e as NodemailerError, o);
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}
