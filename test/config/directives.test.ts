// Every directive of the table: a value, its default, and a bad value with the exact diagnostic.

import type { Config, VirtualService } from '../../src/model/config';
import { DIRECTIVES } from '../../src/config/directives';
import { cf, errors, ok } from './helpers';

interface GlobalCase {
  readonly name: string;
  readonly value: string;
  readonly get: (c: Config) => unknown;
  readonly expected: unknown;
  readonly default: unknown;
  readonly bad: string;
  /** `CODE message` of the bad value. */
  readonly error: string;
  /** Error at the directive name rather than at its value. */
  readonly atName?: boolean;
  /** Column of the error when it points inside the value. */
  readonly col?: number;
  readonly files?: Record<string, string>;
}

interface VirtualCase {
  readonly name: string;
  readonly value: string;
  readonly get: (v: VirtualService) => unknown;
  readonly expected: unknown;
  readonly default: unknown;
  readonly bad: string;
  readonly error: string;
  /** Other lines of the section, before the directive. */
  readonly extra?: readonly string[];
  readonly atName?: boolean;
  /** Use a virtual6 section. */
  readonly v6?: boolean;
}

const ALL = ['starting', 'running', 'stopping', 'reloading'];
const V = 'virtual=192.0.2.1:80';
const R = 'real=192.0.2.10:80 gate';

const globalCases: GlobalCase[] = [
  {
    name: 'addbeforecheck',
    value: 'yes',
    get: (c) => c.global.addbeforecheck,
    expected: true,
    default: false,
    bad: 'first',
    error: 'E_BAD_BOOLEAN addbeforecheck must be yes or no, got "first"',
  },
  {
    name: 'allowemptyreload',
    value: 'yes',
    get: (c) => c.global.allowemptyreload,
    expected: true,
    default: false,
    bad: 'maybe',
    error: 'E_BAD_BOOLEAN allowemptyreload must be yes or no, got "maybe"',
  },
  {
    name: 'autoreload',
    value: 'yes',
    get: (c) => c.global.autoreload,
    expected: true,
    default: false,
    bad: 'maybe',
    error: 'E_BAD_BOOLEAN autoreload must be yes or no, got "maybe"',
  },
  {
    name: 'callback',
    value: '"/usr/local/bin/cb"',
    get: (c) => c.global.callback,
    expected: '/usr/local/bin/cb',
    default: undefined,
    bad: '/usr/local/bin/cb',
    error: 'E_NEEDS_QUOTES callback value must be in double quotes: callback="..."',
  },
  {
    name: 'confdir',
    value: 'conf.d',
    get: (c) => [c.global.confdir, c.virtuals.length],
    expected: ['conf.d', 1],
    default: [undefined, 1],
    bad: '',
    error: 'E_EMPTY_VALUE confdir needs a value',
    files: { '/etc/ha.d/conf.d/README': 'not loaded' },
  },
  {
    name: 'emailalertfrom',
    value: 'ops@example.org',
    get: (c) => c.global.emailalertfrom,
    expected: 'ops@example.org',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE emailalertfrom needs a value',
  },
  {
    name: 'execute',
    value: 'other.cf',
    get: (c) => c.global.execute,
    expected: ['other.cf'],
    default: [],
    bad: '',
    error: 'E_EMPTY_VALUE execute needs a value',
  },
  {
    name: 'fork',
    value: 'yes',
    get: (c) => c.global.fork,
    expected: true,
    default: false,
    bad: 'on',
    error: 'E_BAD_BOOLEAN fork must be yes or no, got "on"',
  },
  {
    name: 'logfile',
    value: '"local0"',
    get: (c) => c.global.logfile,
    expected: 'local0',
    default: '/var/log/ldirectord.log',
    bad: 'local0',
    error: 'E_NEEDS_QUOTES logfile value must be in double quotes: logfile="..."',
  },
  {
    name: 'maintenancedir',
    value: '/var/lib/ldirectord/maint',
    get: (c) => c.global.maintenancedir,
    expected: '/var/lib/ldirectord/maint',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE maintenancedir needs a value',
  },
  {
    name: 'readdquiescent',
    value: 'yes',
    get: (c) => c.global.readdquiescent,
    expected: true,
    default: false,
    bad: 'YES',
    error: 'E_BAD_BOOLEAN readdquiescent must be yes or no, got "YES"',
  },
  {
    name: 'checkworkers',
    value: '0',
    get: (c) => c.global.checkworkers,
    expected: 0,
    default: undefined,
    bad: 'two',
    error: 'E_BAD_INTEGER checkworkers must be a whole number, got "two"',
  },
  {
    name: 'resyncinterval',
    value: '0',
    get: (c) => c.global.resyncinterval,
    expected: 0,
    default: 60,
    bad: '-1',
    error: 'E_BAD_INTEGER resyncinterval must be a whole number, got "-1"',
  },
  {
    name: 'statusaddress',
    value: '127.0.0.1:9999',
    get: (c) => c.global.statusaddress?.value,
    expected: '127.0.0.1:9999',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE statusaddress needs a value',
  },
  {
    name: 'statustlscert',
    value: '/etc/ldirectord/status.crt',
    get: (c) => c.global.statustlscert?.value,
    expected: '/etc/ldirectord/status.crt',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE statustlscert needs a value',
  },
  {
    name: 'statustlskey',
    value: '/etc/ldirectord/status.key',
    get: (c) => c.global.statustlskey?.value,
    expected: '/etc/ldirectord/status.key',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE statustlskey needs a value',
  },
  {
    name: 'statususers',
    value: '/etc/ldirectord/users',
    get: (c) => c.global.statususers?.value,
    expected: '/etc/ldirectord/users',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE statususers needs a value',
  },
  {
    name: 'supervised',
    value: 'yes',
    get: (c) => c.global.supervised,
    expected: true,
    default: false,
    bad: 'y',
    error: 'E_BAD_BOOLEAN supervised must be yes or no, got "y"',
  },
  {
    name: 'syncdaemon',
    value: 'both\nsyncinterface=eth1',
    get: (c) => c.global.syncdaemon?.roles,
    expected: ['master', 'backup'],
    default: undefined,
    bad: 'primary',
    error: 'E_BAD_VALUE syncdaemon must be master, backup, both or none, got "primary"',
  },
  {
    name: 'announce',
    value: 'yes',
    get: (c) => c.global.announce?.byDefault,
    expected: true,
    default: false,
    bad: 'sometimes',
    error: 'E_BAD_BOOLEAN announce must be yes or no, got "sometimes"',
  },
  {
    name: 'announcefallback',
    value: 'yes',
    get: (c) => c.global.announce?.fallback,
    expected: true,
    default: false,
    bad: '2',
    error: 'E_BAD_BOOLEAN announcefallback must be yes or no, got "2"',
  },
  {
    name: 'announcenexthop',
    value: '192.0.2.254',
    get: (c) => c.global.announce?.nexthop,
    expected: '192.0.2.254',
    default: 'self',
    bad: 'gw.example',
    error: 'E_ANNOUNCE announcenexthop must be self or an IP address, got "gw.example"',
  },
  {
    name: 'announcedrain',
    value: '0',
    get: (c) => c.global.announce?.drainMs,
    expected: 0,
    default: 2000,
    bad: '-1',
    error: 'E_BAD_INTEGER announcedrain must be a whole number, got "-1"',
  },
  {
    name: 'announcesocket',
    value: '/run/ld/announce.sock',
    get: (c) => c.global.announce?.socket,
    expected: '/run/ld/announce.sock',
    default: '/var/run/ldirectord.announce.sock',
    bad: 'announce.sock',
    error: 'E_ANNOUNCE announcesocket must be an absolute path, got "announce.sock"',
  },
  {
    name: 'smtpstarttls',
    value: 'auto',
    get: (c) => c.global.smtpstarttls,
    expected: 'auto',
    default: undefined,
    bad: 'maybe',
    error: 'E_SMTP smtpstarttls must be no, auto or yes, got "maybe"',
  },
  // smtpuser and smtppasswordfile only work together: test/config/smtp-settings.test.ts has their rules.
  {
    name: 'smtpuser',
    value: '',
    get: (c) => c.global.smtpuser,
    expected: undefined,
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE smtpuser needs a value',
  },
  {
    name: 'smtppasswordfile',
    value: '',
    get: (c) => c.global.smtppasswordfile,
    expected: undefined,
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE smtppasswordfile needs a value',
  },
  {
    name: 'syncdaemonstop',
    value: 'yes',
    get: (c) => c.global.syncdaemonstop,
    expected: true,
    default: false,
    bad: 'always',
    error: 'E_BAD_BOOLEAN syncdaemonstop must be yes or no, got "always"',
  },
  {
    name: 'syncgroup',
    value: '239.0.0.81\nsyncdaemon=master\nsyncinterface=eth1',
    get: (c) => c.global.syncdaemon?.group,
    expected: '239.0.0.81',
    default: undefined,
    bad: '10.0.0.1',
    error: 'E_SYNC syncgroup must be an IPv4 (224.0.0.0/4) or IPv6 (ff00::/8) multicast address, got "10.0.0.1"',
  },
  {
    name: 'syncid',
    value: '7\nsyncdaemon=backup\nsyncinterface=eth1',
    get: (c) => c.global.syncdaemon?.syncid,
    expected: 7,
    default: undefined,
    bad: '256',
    error: 'E_SYNC syncid must be 0..255, got 256',
  },
  {
    name: 'syncinterface',
    value: 'eth1\nsyncdaemon=both',
    get: (c) => c.global.syncdaemon?.interface,
    expected: 'eth1',
    default: undefined,
    bad: 'eth0:1',
    error: 'E_SYNC syncinterface: an interface name has no "/", ":" or white space, got "eth0:1"',
  },
  {
    name: 'syncmaxlen',
    value: '1400\nsyncdaemon=both\nsyncinterface=eth1',
    get: (c) => c.global.syncdaemon?.maxlen,
    expected: 1400,
    default: undefined,
    bad: '70000',
    error: 'E_SYNC syncmaxlen must be 1..65507, got 70000',
  },
  {
    name: 'syncport',
    value: '8849\nsyncdaemon=both\nsyncinterface=eth1',
    get: (c) => c.global.syncdaemon?.port,
    expected: 8849,
    default: undefined,
    bad: '0',
    error: 'E_BAD_INTEGER syncport must be between 1 and 65535, got 0',
  },
  {
    name: 'syncttl',
    value: '2\nsyncdaemon=both\nsyncinterface=eth1',
    get: (c) => c.global.syncdaemon?.ttl,
    expected: 2,
    default: undefined,
    bad: '300',
    error: 'E_SYNC syncttl must be 1..255, got 300',
  },
  {
    name: 'timeout',
    value: '',
    get: () => undefined,
    expected: undefined,
    default: undefined,
    bad: '5',
    error: 'E_DEPRECATED timeout directive deprecated in favour of checktimeout and negotiatetimeout',
    atName: true,
  },
  // global and per virtual: the global value
  {
    name: 'checkcount',
    value: '3',
    get: (c) => c.global.checkcount,
    expected: 3,
    default: 1,
    bad: '0',
    error: 'E_BAD_INTEGER checkcount must be between 1 and 2147483647, got 0',
  },
  {
    name: 'checkinterval',
    value: '5',
    get: (c) => c.global.checkinterval,
    expected: 5,
    default: 10,
    bad: 'often',
    error: 'E_BAD_INTEGER checkinterval must be a whole number, got "often"',
  },
  {
    name: 'checktimeout',
    value: '7',
    get: (c) => c.global.checktimeout,
    expected: 7,
    default: undefined,
    bad: '0',
    error: 'E_BAD_INTEGER checktimeout must be between 1 and 2147483647, got 0',
  },
  {
    name: 'cleanstop',
    value: 'no',
    get: (c) => c.global.cleanstop,
    expected: false,
    default: true,
    bad: '1',
    error: 'E_BAD_BOOLEAN cleanstop must be yes or no, got "1"',
  },
  {
    name: 'connecttimeout',
    value: '',
    get: () => undefined,
    expected: undefined,
    default: undefined,
    bad: '5',
    error: 'E_DEPRECATED connecttimeout directive deprecated in favour of negotiatetimeout',
    atName: true,
  },
  {
    name: 'emailalert',
    value: '"a@example.org, b@example.org"',
    get: (c) => c.global.emailalert,
    expected: ['a@example.org', 'b@example.org'],
    default: [],
    bad: '""',
    error: 'E_EMPTY_VALUE emailalert needs at least one address',
  },
  {
    name: 'emailalertfreq',
    value: '3600',
    get: (c) => c.global.emailalertfreq,
    expected: 3600,
    default: 0,
    bad: 'hourly',
    error: 'E_BAD_INTEGER emailalertfreq must be a whole number, got "hourly"',
  },
  {
    name: 'emailalertstatus',
    value: 'starting,running',
    get: (c) => c.global.emailalertstatus,
    expected: ['starting', 'running'],
    default: ALL,
    bad: 'none,running',
    error:
      'E_BAD_VALUE emailalertstatus: none cannot be combined with other states (all, none, starting, running, stopping, reloading)',
  },
  {
    name: 'failurecount',
    value: '3',
    get: (c) => c.global.failurecount,
    expected: 3,
    default: 1,
    bad: '0',
    error: 'E_BAD_INTEGER failurecount must be between 1 and 2147483647, got 0',
  },
  {
    name: 'fallback',
    value: '127.0.0.1:8080 masq',
    get: (c) => c.global.fallback && [c.global.fallback.address, c.global.fallback.port, c.global.fallback.forwarding],
    expected: ['127.0.0.1', 8080, 'masq'],
    default: undefined,
    bad: '127.0.0.1:80 bridge',
    col: 23,
    error: 'E_BAD_FALLBACK fallback: forward method must be gate, masq or ipip, got "bridge"',
  },
  {
    name: 'fallback6',
    value: '[::1]:80',
    get: (c) =>
      c.global.fallback6 && [c.global.fallback6.address, c.global.fallback6.port, c.global.fallback6.forwarding],
    expected: ['::1', 80, 'gate'],
    default: undefined,
    bad: '127.0.0.1:80',
    error: 'E_FAMILY fallback6: IPv4 address 127.0.0.1 in an IPv6 directive',
  },
  {
    name: 'fallbackcommand',
    value: '"/usr/local/bin/sorry"',
    get: (c) => c.global.fallbackcommand,
    expected: '/usr/local/bin/sorry',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE fallbackcommand needs a value',
  },
  {
    name: 'negotiatetimeout',
    value: '20',
    get: (c) => c.global.negotiatetimeout,
    expected: 20,
    default: undefined,
    bad: 'x20',
    error: 'E_BAD_INTEGER negotiatetimeout must be a whole number, got "x20"',
  },
  {
    name: 'quiescent',
    value: 'yes',
    get: (c) => c.global.quiescent,
    expected: true,
    default: false,
    bad: 'true',
    error: 'E_BAD_BOOLEAN quiescent must be yes or no, got "true"',
  },
  {
    name: 'smtp',
    value: 'mail.example.org',
    get: (c) => c.global.smtp,
    expected: 'mail.example.org',
    default: undefined,
    bad: 'mail server',
    error: 'E_BAD_ADDRESS smtp must be a host name or address, got "mail server"',
  },
  {
    name: 'successcount',
    value: '2',
    get: (c) => c.global.successcount,
    expected: 2,
    default: 1,
    bad: '0',
    error: 'E_BAD_INTEGER successcount must be between 1 and 2147483647, got 0',
  },
];

const virtualCases: VirtualCase[] = [
  {
    name: 'checkcount',
    value: '4',
    get: (v) => v.checkcount,
    expected: 4,
    default: 1,
    bad: 'x',
    error: 'E_BAD_INTEGER checkcount must be a whole number, got "x"',
  },
  {
    name: 'checkinterval',
    value: '2',
    get: (v) => v.checkinterval,
    expected: 2,
    default: 10,
    bad: '0',
    error: 'E_BAD_INTEGER checkinterval must be between 1 and 2147483647, got 0',
  },
  {
    name: 'checktimeout',
    value: '2',
    get: (v) => v.checktimeout,
    expected: 2,
    default: 5,
    bad: '',
    error: 'E_EMPTY_VALUE checktimeout needs a value',
  },
  {
    name: 'negotiatetimeout',
    value: '9',
    get: (v) => v.negotiatetimeout,
    expected: 9,
    default: 30,
    bad: '-9',
    error: 'E_BAD_INTEGER negotiatetimeout must be a whole number, got "-9"',
  },
  {
    name: 'announce',
    value: 'yes',
    get: (v) => v.announce,
    expected: true,
    default: false,
    bad: 'on',
    error: 'E_BAD_BOOLEAN announce must be yes or no, got "on"',
  },
  {
    name: 'announcefallback',
    value: 'yes',
    get: (v) => v.announcefallback,
    expected: true,
    default: false,
    bad: 'off',
    error: 'E_BAD_BOOLEAN announcefallback must be yes or no, got "off"',
  },
  {
    name: 'cleanstop',
    value: 'no',
    get: (v) => v.cleanstop,
    expected: false,
    default: true,
    bad: 'nope',
    error: 'E_BAD_BOOLEAN cleanstop must be yes or no, got "nope"',
  },
  {
    name: 'connecttimeout',
    value: '',
    get: () => undefined,
    expected: undefined,
    default: undefined,
    bad: '3',
    error: 'E_DEPRECATED connecttimeout directive deprecated in favour of negotiatetimeout',
    atName: true,
  },
  {
    name: 'emailalert',
    value: 'root@example.org',
    get: (v) => v.emailalert,
    expected: ['root@example.org'],
    default: [],
    bad: '',
    error: 'E_EMPTY_VALUE emailalert needs a value',
  },
  { name: 'emailalertfreq', value: '60', get: (v) => v.emailalertfreq, expected: 60, default: 0, bad: '1m', error: '' },
  {
    name: 'emailalertstatus',
    value: 'none',
    get: (v) => v.emailalertstatus,
    expected: [],
    default: ALL,
    bad: 'sleeping',
    error: 'E_BAD_VALUE emailalertstatus: unknown state "sleeping" (all, none, starting, running, stopping, reloading)',
  },
  {
    name: 'failurecount',
    value: '5',
    get: (v) => v.failurecount,
    expected: 5,
    default: 1,
    bad: 'five',
    error: 'E_BAD_INTEGER failurecount must be a whole number, got "five"',
  },
  {
    name: 'fallback',
    value: '127.0.0.1',
    get: (v) => v.fallback && [v.fallback.address, v.fallback.port, v.fallback.forwarding],
    expected: ['127.0.0.1', 80, 'gate'],
    default: undefined,
    bad: '[::1]:80',
    error: 'E_FAMILY fallback: cannot specify an IPv6 address here, use fallback6',
  },
  {
    name: 'fallback6',
    v6: true,
    value: '[::1]',
    get: (v) => v.fallback && [v.fallback.address, v.fallback.port, v.fallback.forwarding],
    expected: ['::1', 80, 'gate'],
    default: undefined,
    bad: '127.0.0.1',
    error: 'E_FAMILY fallback6: IPv4 address 127.0.0.1 in an IPv6 directive',
  },
  {
    name: 'fallbackcommand',
    value: '"/bin/sorry on"',
    get: (v) => v.fallbackcommand,
    expected: '/bin/sorry on',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE fallbackcommand needs a value',
  },
  {
    name: 'quiescent',
    value: 'yes',
    get: (v) => v.quiescent,
    expected: true,
    default: false,
    bad: 'Yes',
    error: 'E_BAD_BOOLEAN quiescent must be yes or no, got "Yes"',
  },
  {
    name: 'smtp',
    value: '127.0.0.1',
    get: (v) => v.smtp,
    expected: '127.0.0.1',
    default: undefined,
    bad: 'a,b',
    error: 'E_BAD_ADDRESS smtp must be a host name or address, got "a,b"',
  },
  {
    name: 'successcount',
    value: '3',
    get: (v) => v.successcount,
    expected: 3,
    default: 1,
    bad: '0',
    error: 'E_BAD_INTEGER successcount must be between 1 and 2147483647, got 0',
  },
  {
    name: 'checktype',
    value: 'connect',
    get: (v) => v.checktype,
    expected: { kind: 'connect' },
    default: { kind: 'negotiate' },
    bad: 'tcp',
    error:
      'E_BAD_VALUE checktype must be negotiate, connect, ping, external, external-perl, on, off or a number, got "tcp"',
  },
  {
    name: 'service',
    value: 'ftp',
    get: (v) => v.service,
    expected: 'ftp',
    default: 'http',
    bad: 'gopher',
    error:
      'E_BAD_VALUE service must be one of dns, ftp, http, https, http_proxy, imap, imaps, ldap, ldaps, mysql, nntp, none, pgsql, pop, pops, radius, sip, simpletcp, smtp, submission; got "gopher"',
  },
  {
    name: 'checkcommand',
    value: '"/usr/local/bin/check-web"',
    get: (v) => v.checkcommand,
    expected: '/usr/local/bin/check-web',
    default: '/bin/true',
    bad: '',
    error: 'E_EMPTY_VALUE checkcommand needs a value',
  },
  {
    name: 'checkport',
    value: '8080',
    get: (v) => v.checkport,
    expected: 8080,
    default: undefined,
    bad: '70000',
    error: 'E_BAD_INTEGER checkport must be between 1 and 65535, got 70000',
  },
  {
    name: 'request',
    value: '"health"',
    get: (v) => v.request,
    expected: '/health',
    default: '/',
    bad: 'health',
    error: 'E_NEEDS_QUOTES request value must be in double quotes: request="..."',
  },
  {
    name: 'receive',
    value: '"OK"',
    get: (v) => v.receive,
    expected: 'OK',
    default: '',
    bad: '""',
    error: 'E_EMPTY_VALUE receive must not be empty',
  },
  {
    name: 'httpmethod',
    value: 'head',
    get: (v) => v.httpmethod,
    expected: 'HEAD',
    default: 'GET',
    bad: 'POST',
    error: 'E_BAD_VALUE httpmethod must be GET or HEAD, got "POST"',
  },
  {
    name: 'virtualhost',
    value: '"www.example.org"',
    get: (v) => v.virtualhost,
    expected: 'www.example.org',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE virtualhost needs a value',
  },
  {
    name: 'login',
    value: '"monitor"',
    get: (v) => v.login,
    expected: 'monitor',
    default: '',
    bad: 'monitor',
    error: 'E_NEEDS_QUOTES login value must be in double quotes: login="..."',
  },
  {
    name: 'passwd',
    value: '"s3cret"',
    get: (v) => v.passwd,
    expected: 's3cret',
    default: '',
    bad: 's3cret',
    error: 'E_NEEDS_QUOTES passwd value must be in double quotes: passwd="..."',
  },
  {
    name: 'database',
    value: '"portal"',
    get: (v) => v.database,
    expected: 'portal',
    default: '',
    bad: 'portal',
    error: 'E_NEEDS_QUOTES database value must be in double quotes: database="..."',
  },
  {
    name: 'secret',
    value: '"radius-secret"',
    get: (v) => v.secret,
    expected: 'radius-secret',
    default: '',
    bad: "'x'",
    error: 'E_NEEDS_QUOTES secret value must be in double quotes: secret="..."',
  },
  {
    name: 'load',
    value: '"2"',
    get: (v) => v.id,
    expected: 'tcp:192.0.2.1:80',
    default: 'tcp:192.0.2.1:80',
    bad: '',
    error: 'E_EMPTY_VALUE load needs a value',
  },
  {
    name: 'scheduler',
    value: 'wlc',
    get: (v) => v.scheduler,
    expected: 'wlc',
    default: 'wrr',
    bad: 'WRR',
    error: 'E_BAD_VALUE scheduler must be lowercase letters (e.g. wrr, rr, wlc, sh), got "WRR"',
  },
  {
    name: 'persistent',
    value: '300',
    get: (v) => v.persistent,
    expected: 300,
    default: undefined,
    bad: 'forever',
    error: 'E_BAD_INTEGER persistent must be a whole number, got "forever"',
  },
  {
    name: 'netmask',
    extra: ['persistent=600'],
    value: '255.255.255.0',
    get: (v) => v.netmask,
    expected: '255.255.255.0',
    default: '255.255.255.255',
    bad: '255.0.255.0',
    error: 'E_BAD_VALUE netmask for an IPv4 virtual must be a dotted mask like 255.255.255.0, got "255.0.255.0"',
  },
  {
    name: 'schedflags',
    extra: ['scheduler=sh'],
    value: 'sh-port,sh-fallback',
    get: (v) => v.schedflags,
    expected: 'sh-port,sh-fallback',
    default: undefined,
    bad: 'sh-turbo',
    error:
      'E_SCHEDFLAGS unknown scheduler flag "sh-turbo" (known: sh-fallback, sh-port, mh-fallback, mh-port, flag-1, flag-2, flag-3)',
  },
  {
    name: 'protocol',
    value: 'udp',
    get: (v) => v.protocol,
    expected: 'udp',
    default: 'tcp',
    bad: 'sctp',
    error: 'E_BAD_VALUE protocol must be tcp or udp or fwm, got "sctp"',
  },
  {
    name: 'ops',
    extra: ['protocol=udp'],
    value: 'yes',
    get: (v) => v.ops,
    expected: true,
    default: false,
    bad: 'sometimes',
    error: 'E_BAD_BOOLEAN ops must be yes or no, got "sometimes"',
  },
  {
    name: 'monitorfile',
    value: '/var/log/ldirectord-web.log',
    get: (v) => v.monitorfile,
    expected: '/var/log/ldirectord-web.log',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE monitorfile needs a value',
  },
  {
    name: 'servicename',
    value: 'Web Site',
    get: (v) => v.servicename,
    expected: 'Web Site',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE servicename needs a value',
  },
  {
    name: 'comment',
    value: 'Test load balanced web site',
    get: (v) => v.comment,
    expected: 'Test load balanced web site',
    default: undefined,
    bad: '',
    error: 'E_EMPTY_VALUE comment needs a value',
  },
];

// `1m` is read as 1 with a warning (ldirectord takes the leading digits), so emailalertfreq's bad value is
// a different one:
const fixed = virtualCases.map((c) =>
  c.name === 'emailalertfreq'
    ? { ...c, bad: 'x1', error: 'E_BAD_INTEGER emailalertfreq must be a whole number, got "x1"' }
    : c,
);

describe('global directives', () => {
  test.each(globalCases.filter((c) => c.value !== ''))('$name: value', async (c) => {
    const config = await ok(cf(`${c.name}=${c.value}`, V, R), c.files);
    expect(c.get(config)).toEqual(c.expected);
  });
  test.each(globalCases.filter((c) => c.value !== ''))('$name: default', async (c) => {
    const config = await ok(cf('', V, R), c.files);
    expect(c.get(config)).toEqual(c.default);
  });
  test.each(globalCases)('$name: bad value $bad', async (c) => {
    const col = c.col ?? (c.atName ? 1 : c.name.length + 2);
    expect(await errors(cf(`${c.name}=${c.bad}`, V, R), c.files)).toEqual([`1:${col}: ${c.error}`]);
  });
});

describe('per-virtual directives', () => {
  const open = (c: VirtualCase): [string, string] =>
    c.v6 ? ['virtual6=[2001:db8::1]:80', 'real6=[2001:db8::10]:80 gate'] : [V, R];
  const section = (c: VirtualCase, value: string): string =>
    cf('', ...open(c), ...(c.extra ?? []), `${c.name}=${value}`);
  const line = (c: VirtualCase): number => 3 + (c.extra?.length ?? 0);
  test.each(fixed.filter((c) => c.value !== ''))('$name: value', async (c) => {
    const config = await ok(section(c, c.value));
    expect(c.get(config.virtuals[0]!)).toEqual(c.expected);
  });
  test.each(fixed.filter((c) => c.value !== ''))('$name: default', async (c) => {
    const config = await ok(cf('', ...open(c), ...(c.extra ?? [])));
    expect(c.get(config.virtuals[0]!)).toEqual(c.default);
  });
  test.each(fixed)('$name: bad value $bad', async (c) => {
    const col = c.atName ? 2 : c.name.length + 3;
    expect(await errors(section(c, c.bad))).toEqual([`${line(c)}:${col}: ${c.error}`]);
  });
});

describe('the table and the tests cover each other', () => {
  test('every directive of the table has a value/default/bad-value case', () => {
    const covered = new Set([...globalCases.map((c) => c.name), ...fixed.map((c) => c.name), 'real', 'real6']);
    // real/real6 have their own file (real.test.ts).
    expect(DIRECTIVES.map((d) => d.name).filter((n) => !covered.has(n))).toEqual([]);
  });
  test('directives of scope "both" are tested at both levels, the others at their own level only', () => {
    for (const d of DIRECTIVES) {
      const g = globalCases.some((c) => c.name === d.name);
      const v = fixed.some((c) => c.name === d.name);
      if (d.name === 'real' || d.name === 'real6') continue;
      expect([d.name, g, v]).toEqual([d.name, d.scope !== 'virtual', d.scope !== 'global']);
    }
  });
});
