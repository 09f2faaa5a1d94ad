// smtp / submission: greeting, EHLO (HELO when EHLO is refused), QUIT — nodemailer's SMTP connection, the same
// dialogue the alert mails use (docs/decisions/014-mail-library.md), so the tree has one SMTP implementation.
// Up when the greeting is 220 and EHLO or HELO is answered 2xx; STARTTLS is not attempted. request/receive are
// unused, as in ldirectord. The reason on success is the greeting line, read from nodemailer's transaction log.

import { hostname } from 'node:os';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Check } from '../types';
import { hostPort, probe, ProbeFailure } from './probe';
import { DEFAULT_MAX_BYTES } from './stream';

interface SmtpError extends Error {
  code?: string;
  command?: string;
  response?: string;
}

/** `connect failed: ECONNREFUSED`, `greeting: 554 go away`, `EHLO/HELO refused: 550 …`. */
function reasonOf(e: SmtpError): string {
  if (/exceeds maximum allowed size/.test(e.message)) return `server sent more than ${DEFAULT_MAX_BYTES} bytes`;
  const cause = /\b(E[A-Z]+)\b/.exec(e.message)?.[1];
  if (e.code === 'ESOCKET' || e.code === 'ECONNECTION') return `connect failed: ${cause ?? e.message}`;
  if (e.command === 'CONN' && e.response !== undefined) return `greeting: ${e.response}`;
  if ((e.command === 'EHLO' || e.command === 'HELO') && e.response !== undefined) {
    return `EHLO/HELO refused: ${e.response}`;
  }
  return e.message;
}

export const smtpCheck: Check = (spec, signal) =>
  probe(
    `${spec.service === 'submission' ? 'SUBMISSION' : 'SMTP'} ${hostPort(spec.address, spec.port)}`,
    spec,
    signal,
    (ctx) =>
      new Promise<string>((resolve, reject) => {
        let greeting: string | undefined;
        const connection = new SMTPConnection({
          host: spec.address,
          port: spec.port,
          name: hostname() || 'localhost',
          ignoreTLS: true,
          // the probe's deadline ends the check; these only keep nodemailer from timing out first
          connectionTimeout: ctx.timeoutMs + 1000,
          greetingTimeout: ctx.timeoutMs + 1000,
          socketTimeout: ctx.timeoutMs + 1000,
          // a flooding server costs at most this much buffering, as for the other line protocols
          maxResponseSize: DEFAULT_MAX_BYTES,
          transactionLog: true,
          logger: {
            level: () => undefined,
            trace: () => undefined,
            debug: (entry: { tnx?: string }, text: string) => {
              if (entry.tnx === 'server' && greeting === undefined) greeting = text;
            },
            info: () => undefined,
            warn: () => undefined,
            error: () => undefined,
            fatal: () => undefined,
          },
        });
        ctx.defer(() => connection.close());
        connection.on('error', (e: SmtpError) => reject(new ProbeFailure(reasonOf(e))));
        connection.connect(() => {
          connection.quit();
          resolve(greeting ?? 'connected');
        });
      }),
  );
