// The alert mail itself (docs/behaviour.md §4.9): subject = the log text, prefixed `[servicename] ` when set; body:
//   ldirectord host: <hostname>
//   Log-Message: <subject>
//   Daemon-Status: <starting|running|stopping|reloading>
//   [Service name: <servicename>]
//   [Comment: <comment>]

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

/** Header values must not carry line breaks (header injection through servicename/comment). */
function headerValue(v: string): string {
  return v.replace(/[\r\n]+/g, ' ');
}

/** RFC 5322 message text with CRLF line ends. `date` is already formatted (RFC 5322 date-time). */
export function renderMessage(mail: AlertMail, from: string, to: readonly string[], date: string): string {
  const headers = [
    `From: ${headerValue(from)}`,
    `To: ${to.map(headerValue).join(', ')}`,
    `Subject: ${headerValue(mail.subject)}`,
    `Date: ${date}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${mail.body.replace(/\r?\n/g, '\r\n')}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date in UTC: `Sat, 21 Nov 2026 13:37:18 +0000`. */
export function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}
