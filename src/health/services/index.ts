// Negotiate checks for every service other than http/https/http_proxy (those live in src/health/checks).
// oracle is refused at config load and deliberately absent here. src/health/checks dispatches through this map.
import type { ServiceName } from '../../model/config';
import type { Check } from '../types';
import { dnsCheck } from './dns';
import { ftpCheck } from './ftp';
import { imapCheck } from './imap';
import { ldapCheck } from './ldap';
import { mysqlCheck } from './mysql';
import { nntpCheck } from './nntp';
import { noneCheck } from './none';
import { pgsqlCheck } from './pgsql';
import { popCheck } from './pop';
import { radiusCheck } from './radius';
import { simpletcpCheck } from './simpletcp';
import { sipCheck } from './sip';
import { smtpCheck } from './smtp';

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
