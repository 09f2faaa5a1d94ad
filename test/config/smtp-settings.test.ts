// smtpstarttls / smtpuser / smtppasswordfile: what they give GlobalConfig, and where each error points.
import { cf, errors, ok } from './helpers';
import { smtpSettings } from '../../src/daemon/alerts/smtp-settings';

const V = 'virtual=192.0.2.1:80';
const R = 'real=192.0.2.10:80 gate';

describe('smtp settings', () => {
  it('unset: plain SMTP without AUTH, as ldirectord', async () => {
    const c = await ok(cf('smtp=192.0.2.25', V, R));
    expect(smtpSettings(c.global)).toEqual({ starttls: 'no' });
  });

  it('STARTTLS required with AUTH: user and password file reach the alert transport', async () => {
    const c = await ok(cf('smtpstarttls=YES\nsmtpuser=director\nsmtppasswordfile=/etc/ha.d/smtp.pw', V, R));
    expect(smtpSettings(c.global)).toEqual({
      starttls: 'yes',
      user: 'director',
      passwordFile: '/etc/ha.d/smtp.pw',
    });
  });

  it('AUTH needs the other half and smtpstarttls=yes; a relative password file is refused; errors at their lines', async () => {
    expect(await errors(cf('smtpuser=director', V, R))).toEqual([
      '1:10: E_SMTP smtpuser needs smtppasswordfile',
      '1:10: E_SMTP smtpuser needs smtpstarttls=yes (the password is never sent in clear or to an unverified server)',
    ]);
    expect(await errors(cf('checkinterval=5\nsmtppasswordfile=/etc/pw', V, R))).toEqual([
      '2:18: E_SMTP smtppasswordfile needs smtpuser',
    ]);
    expect(await errors(cf('smtpstarttls=auto\nsmtpuser=d\nsmtppasswordfile=pw', V, R))).toEqual([
      '2:10: E_SMTP smtpuser needs smtpstarttls=yes (the password is never sent in clear or to an unverified server)',
      '3:18: E_SMTP smtppasswordfile must be an absolute path, got "pw"',
    ]);
  });
});
