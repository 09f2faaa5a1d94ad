// src/health/services holds every negotiate check: one file per service (a protocol exchange with the real
// server: http.ts and its parts, dns, ftp, ldap, sql, …) and their wire helpers. src/health/checks holds the
// check types that are not a service exchange (connect, ping, external, combined) and the dispatcher.
// This map holds the services other than http/https/http_proxy, which the dispatcher builds itself because
// they take options (a CA for tests, client reuse); oracle is refused at config load and deliberately absent.
import type { ServiceName } from '../../model/config';
import type { Check } from '../types';
import { ftpCheck } from './ftp';
import { imapCheck } from './imap';
import { nntpCheck } from './nntp';
import { noneCheck } from './none';
import { popCheck } from './pop';
import { radiusCheck } from './radius';
import { simpletcpCheck } from './simpletcp';
import { sipCheck } from './sip';

/**
 * A check whose module is loaded the first time a check of its service runs: the database, LDAP and DNS
 * libraries (mysql2, pg, ldapts, dns-packet) cost start-up time and memory that a director without such
 * checks (most of them) should not pay; dns-packet alone was ~0.14 s of a cold start in the guest kernel.
 */
function lazy(load: () => Check): Check {
  // require() caches the module: after the first call this is a lookup, and nothing is kept here.
  return (spec, signal) => load()(spec, signal);
}
/* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy loading, see lazy() */
const dnsCheck = lazy(() => (require('./dns') as typeof import('./dns')).dnsCheck);
const ldapCheck = lazy(() => (require('./ldap') as typeof import('./ldap')).ldapCheck);
const mysqlCheck = lazy(() => (require('./mysql') as typeof import('./mysql')).mysqlCheck);
const pgsqlCheck = lazy(() => (require('./pgsql') as typeof import('./pgsql')).pgsqlCheck);
/** nodemailer's SMTP connection (decision 014). */
const smtpCheck = lazy(() => (require('./smtp') as typeof import('./smtp')).smtpCheck);
/* eslint-enable @typescript-eslint/no-require-imports */

export const serviceChecks: Partial<Record<ServiceName, Check>> = Object.freeze({
  dns: dnsCheck,
  ftp: ftpCheck,
  imap: imapCheck,
  imaps: imapCheck,
  ldap: ldapCheck,
  ldaps: ldapCheck,
  mysql: mysqlCheck,
  nntp: nntpCheck,
  none: noneCheck,
  pgsql: pgsqlCheck,
  pop: popCheck,
  pops: popCheck,
  radius: radiusCheck,
  simpletcp: simpletcpCheck,
  sip: sipCheck,
  smtp: smtpCheck,
  submission: smtpCheck,
});
