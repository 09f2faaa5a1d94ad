// The alert mail itself (docs/behaviour.md §4.9): subject = the log text, prefixed `[servicename] ` when set; body:
//   ldirectord host: <hostname>
//   Log-Message: <subject>
//   Daemon-Status: <starting|running|stopping|reloading>
//   [Service name: <servicename>]
//   [Comment: <comment>]
// The message text (headers, RFC 2047 encoding, Message-ID, line breaks in header values flattened) is
// nodemailer's (compose.ts); this file only decides what goes in it.

import type { DaemonState } from '../../model/config';

export interface AlertInput {
  readonly text: string;
  readonly hostname: string;
  readonly state: DaemonState;
  readonly servicename?: string;
  readonly comment?: string;
}

export interface AlertMail {
  readonly subject: string;
  readonly body: string;
}

export function buildAlert(a: AlertInput): AlertMail {
  const subject = a.servicename !== undefined && a.servicename !== '' ? `[${a.servicename}] ${a.text}` : a.text;
  const lines = [`ldirectord host: ${a.hostname}`, `Log-Message: ${subject}`, `Daemon-Status: ${a.state}`];
  if (a.servicename !== undefined && a.servicename !== '') lines.push(`Service name: ${a.servicename}`);
  if (a.comment !== undefined && a.comment !== '') lines.push(`Comment: ${a.comment}`);
  return { subject, body: `${lines.join('\n')}\n` };
}

/** One mail ready to hand over: the envelope (sender, recipients) and what the headers and body say. */
export interface OutgoingAlert {
  /** Envelope sender (MAIL FROM / sendmail -f): `<user>@<hostname>`. */
  readonly sender: string;
  /** From header (emailalertfrom, else the sender). */
  readonly from: string;
  readonly recipients: readonly string[];
  readonly mail: AlertMail;
  /** Date header. */
  readonly date: Date;
}
