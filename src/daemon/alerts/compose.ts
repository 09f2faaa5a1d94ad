// An OutgoingAlert as nodemailer's message options. nodemailer writes the headers: RFC 2047 encoded words for
// non-ASCII text, a Message-ID, Date, MIME-Version and Content-Type, and line breaks in any header value turned
// into spaces (so a servicename, comment or server name cannot add a header). The envelope is given apart from
// the headers, and file and URL access are off: an option value is never read as a path or fetched.
// Addresses are refused outright when they hold a control character: nodemailer's address parser would read
// `a@x\r\nRCPT TO:<b@y>` as the address b@y, a different recipient (the config loader already refuses such
// values, E_CONTROL_CHAR; this is the second wall).
// nodemailer itself is required lazily by the senders (smtp.ts, sendmail.ts), never by this file.

import type Mail from 'nodemailer/lib/mailer';
import { AlertError } from './alert-error';
import type { OutgoingAlert } from './message';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function mailOptions(a: OutgoingAlert): Mail.Options {
  for (const [what, address] of [
    ['sender', a.sender],
    ['From', a.from],
    ...a.recipients.map((r) => ['recipient', r] as const),
  ] as const) {
    if (CONTROL.test(address)) {
      throw new AlertError('ALERT_ADDRESS', `${what} ${JSON.stringify(address)} holds a control character; not sent`);
    }
  }
  return {
    from: a.from,
    to: [...a.recipients],
    subject: a.mail.subject,
    text: a.mail.body,
    date: a.date,
    envelope: { from: a.sender, to: [...a.recipients] },
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
