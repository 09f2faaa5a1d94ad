// The alert transport as the daemon uses it: SMTP to the smtp= host with the smtp* directives' settings, or the
// local mailer. The password is read from smtppasswordfile for each mail (its first line), so a changed password
// needs no reload and never sits in the config or in the daemon's memory between mails.

import type { ConnectionOptions } from 'node:tls';
import type { SmtpSettings } from '../../model/config';
import { AlertError } from './alert-error';
import type { AlertTransport } from './alerter';
import { sendAlertViaSendmail, type SpawnFn } from './sendmail';
import { sendSmtp } from './smtp';

export interface AlertTransportDeps {
  readonly helo: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly spawn: SpawnFn;
  readonly readFile: (file: string) => Promise<string>;
  /** Extra trusted CAs for smtpstarttls=yes (tests; operators use NODE_EXTRA_CA_CERTS). */
  readonly ca?: ConnectionOptions['ca'];
  readonly sendmail?: string;
}

async function readPassword(d: AlertTransportDeps, file: string): Promise<string> {
  try {
    return (await d.readFile(file)).split(/\r?\n/)[0] ?? '';
  } catch (e) {
    throw new AlertError('ALERT_SMTP', `smtppasswordfile ${file}: ${(e as Error).message}`, e);
  }
}

export function createAlertTransport(d: AlertTransportDeps): AlertTransport {
  return {
    async smtp(host, alert, settings: SmtpSettings) {
      const auth =
        settings.user !== undefined && settings.passwordFile !== undefined
          ? { user: settings.user, pass: await readPassword(d, settings.passwordFile) }
          : undefined;
      await sendSmtp(alert, {
        host,
        port: d.port,
        helo: d.helo,
        timeoutMs: d.timeoutMs,
        starttls: settings.starttls,
        ...(auth !== undefined ? { auth } : {}),
        ...(d.ca !== undefined ? { ca: d.ca } : {}),
      });
    },
    sendmail: (alert) => sendAlertViaSendmail(d.spawn, alert, d.timeoutMs, d.sendmail),
  };
}
