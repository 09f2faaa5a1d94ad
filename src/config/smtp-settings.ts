// The global smtp* directives → GlobalConfig.smtpstarttls / smtpuser / smtppasswordfile (alert mails over
// smtp=, docs/compat.md). The directive table reads the text; here are the forms they must take, each error at
// the file:line of its directive.
//
//   smtpstarttls       no | auto | yes
//   smtpuser           needs smtppasswordfile (and the reverse), and smtpstarttls=yes: credentials never go
//                      over plain text or over a connection whose certificate was not checked
//   smtppasswordfile   an absolute path (read when a mail is sent, not here)

import type { SmtpStartTls } from '../model/config';
import type { Diagnostics } from './diagnostics';
import type { ScopeValues } from './scope';

const STARTTLS: readonly SmtpStartTls[] = ['no', 'auto', 'yes'];

export interface SmtpDirectives {
  readonly smtpstarttls?: SmtpStartTls;
  readonly smtpuser?: string;
  readonly smtppasswordfile?: string;
}

export function buildSmtpSettings(scope: ScopeValues, diags: Diagnostics): SmtpDirectives {
  const tlsSetting = scope.values.get('smtpstarttls');
  const userSetting = scope.values.get('smtpuser');
  const fileSetting = scope.values.get('smtppasswordfile');
  let starttls: SmtpStartTls | undefined;
  if (tlsSetting !== undefined) {
    const v = String(tlsSetting.value).toLowerCase();
    if ((STARTTLS as readonly string[]).includes(v)) starttls = v as SmtpStartTls;
    else
      diags.error(
        'E_SMTP',
        `smtpstarttls must be no, auto or yes, got ${JSON.stringify(tlsSetting.value)}`,
        tlsSetting.at,
      );
  }
  const user = userSetting === undefined ? undefined : String(userSetting.value);
  const file = fileSetting === undefined ? undefined : String(fileSetting.value);
  let ok = true;
  if (fileSetting !== undefined && file !== undefined && !file.startsWith('/')) {
    diags.error('E_SMTP', `smtppasswordfile must be an absolute path, got ${JSON.stringify(file)}`, fileSetting.at);
    ok = false;
  }
  if (userSetting !== undefined && fileSetting === undefined) {
    diags.error('E_SMTP', 'smtpuser needs smtppasswordfile', userSetting.at);
    ok = false;
  }
  if (fileSetting !== undefined && userSetting === undefined) {
    diags.error('E_SMTP', 'smtppasswordfile needs smtpuser', fileSetting.at);
    ok = false;
  }
  if (userSetting !== undefined && starttls !== 'yes') {
    diags.error(
      'E_SMTP',
      'smtpuser needs smtpstarttls=yes (the password is never sent in clear or to an unverified server)',
      userSetting.at,
    );
    ok = false;
  }
  return {
    ...(starttls !== undefined ? { smtpstarttls: starttls } : {}),
    ...(ok && user !== undefined && file !== undefined ? { smtpuser: user, smtppasswordfile: file } : {}),
  };
}
