// ldirectord's port ↔ service table (docs/behaviour.md §2.8): the service a virtual gets from its port when `service=`
// is not given, and the default check port of a service.

import type { ServiceName } from '../model/config';

export const SERVICE_BY_PORT: ReadonlyMap<number, ServiceName> = new Map<number, ServiceName>([
  [21, 'ftp'],
  [25, 'smtp'],
  [53, 'dns'],
  [80, 'http'],
  [110, 'pop'],
  [119, 'nntp'],
  [143, 'imap'],
  [389, 'ldap'],
  [443, 'https'],
  [587, 'submission'],
  [636, 'ldaps'],
  [993, 'imaps'],
  [995, 'pops'],
  [1521, 'oracle'],
  [1812, 'radius'],
  [3128, 'http_proxy'],
  [3306, 'mysql'],
  [5060, 'sip'],
  [5432, 'pgsql'],
]);
