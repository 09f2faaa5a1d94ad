// The smtp* global directives as alert delivery reads them, per mail (a reload takes effect on the next one).

import type { GlobalConfig, SmtpSettings } from '../../model/config';

export function smtpSettings(g: GlobalConfig): SmtpSettings {
  return {
    starttls: g.smtpstarttls ?? 'no',
    ...(g.smtpuser !== undefined ? { user: g.smtpuser } : {}),
    ...(g.smtppasswordfile !== undefined ? { passwordFile: g.smtppasswordfile } : {}),
  };
}
