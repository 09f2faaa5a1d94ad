// The one directive table. The .cf parser and the YAML reader look names up here (unknown → E_UNKNOWN_DIRECTIVE,
// wrong place → E_WRONG_SCOPE), the value readers are chosen by `type`, and docs/config.md's directive table is
// rendered from it (test/config/docs.test.ts fails when the two disagree).

export type Scope = 'global' | 'virtual' | 'both';

export type ValueType =
  | 'posint' // integer > 0
  | 'uint' // integer >= 0
  | 'yesno'
  | 'quoted' // must be in double quotes, non-empty
  | 'quoted-any' // must be in double quotes, may be empty
  | 'text' // enclosing double quotes optional (stripped), non-empty
  | 'raw' // rest of the line exactly as written, non-empty
  | 'checktype'
  | 'service'
  | 'protocol'
  | 'httpmethod'
  | 'scheduler'
  | 'persistent'
  | 'netmask'
  | 'schedflags'
  | 'port'
  | 'host'
  | 'emailalertstatus'
  | 'emailalert'
  | 'real'
  | 'fallback'
  | 'deprecated';

export interface DirectiveSpec {
  readonly name: string;
  readonly scope: Scope;
  readonly type: ValueType;
  /** The default as a human reads it (docs); the effective default values live in the builders. */
  readonly default: string;
  readonly doc: string;
  /** IPv6 variant of an address directive (`real6`, `fallback6`). */
  readonly family?: 'inet6';
  /** May appear several times in one scope without a duplicate warning. */
  readonly repeatable?: boolean;
  /** Error message for a deprecated directive. */
  readonly deprecated?: string;
}

const D = (d: DirectiveSpec): DirectiveSpec => d;

export const DIRECTIVES: readonly DirectiveSpec[] = [
  // ---- global only
  D({
    name: 'addbeforecheck',
    scope: 'global',
    type: 'yesno',
    default: 'no',
    doc: "Put a real server into the table at its weight before its first check decides (keepalived's behaviour: a complete table at start-up, but a server that fails its first check is taken out again). New.",
  }),
  D({
    name: 'allowemptyreload',
    scope: 'global',
    type: 'yesno',
    default: 'no',
    doc: 'Let a reload remove every virtual service (a config with none); refused otherwise. Warned about either way.',
  }),
  D({
    name: 'autoreload',
    scope: 'global',
    type: 'yesno',
    default: 'no',
    doc: 'Reload when the config file content changes on disk.',
  }),
  D({
    name: 'callback',
    scope: 'global',
    type: 'quoted',
    default: 'unset',
    doc: 'Program run with the config path whenever the config file changes on disk (quotes required).',
  }),
  D({
    name: 'checkworkers',
    scope: 'global',
    type: 'uint',
    default: '0',
    doc: 'Worker threads that run the network checks (0: all on the main thread). Read at start. New.',
  }),
  D({
    name: 'confdir',
    scope: 'global',
    type: 'text',
    default: 'unset',
    doc: "Directory (relative to the main file's directory) of per-virtual `*.cf` / `*.yaml` files, loaded in name order.",
  }),
  D({ name: 'emailalertfrom', scope: 'global', type: 'text', default: 'unset', doc: 'From header of alert mails.' }),
  D({
    name: 'execute',
    scope: 'global',
    type: 'raw',
    default: 'none',
    repeatable: true,
    doc: 'Another config to start/stop/status/reload along with this one (repeatable).',
  }),
  D({
    name: 'fork',
    scope: 'global',
    type: 'yesno',
    default: 'no',
    doc: "ldirectord's one-process-per-virtual mode (accepted; checks run concurrently anyway).",
  }),
  D({
    name: 'logfile',
    scope: 'global',
    type: 'quoted',
    default: '"/var/log/ldirectord.log"',
    doc: 'Absolute path → log file; anything else → syslog facility (quotes required).',
  }),
  D({
    name: 'maintenancedir',
    scope: 'global',
    type: 'text',
    default: 'unset',
    doc: 'Directory of maintenance flag files that force a real server down.',
  }),
  D({
    name: 'readdquiescent',
    scope: 'global',
    type: 'yesno',
    default: 'no',
    doc: 'Re-add a quiescent real server missing from the table with weight 0.',
  }),
  D({
    name: 'resyncinterval',
    scope: 'global',
    type: 'uint',
    default: '60',
    doc: 'Seconds between full kernel resyncs that repair drift (0 = off). New.',
  }),
  D({
    name: 'smtppasswordfile',
    scope: 'global',
    type: 'text',
    default: 'unset',
    doc: 'File whose first line is the AUTH password for alert mails (read for each mail); needs smtpuser. New.',
  }),
  D({
    name: 'smtpstarttls',
    scope: 'global',
    type: 'text',
    default: 'no',
    doc: 'STARTTLS for alert mails to smtp=: `no` (plain, as ldirectord), `auto` (when offered, certificate not checked), `yes` (required, certificate verified). New.',
  }),
  D({
    name: 'smtpuser',
    scope: 'global',
    type: 'text',
    default: 'unset',
    doc: 'AUTH user for alert mails; needs smtppasswordfile and smtpstarttls=yes. New.',
  }),
  D({
    name: 'supervised',
    scope: 'global',
    type: 'yesno',
    default: 'no',
    doc: 'Stay in the foreground and log to stdout; a bare `supervised` means yes.',
  }),
  D({
    name: 'statusaddress',
    scope: 'global',
    type: 'text',
    default: '127.0.0.1:9186',
    doc: 'Status page and /metrics listen address `HOST:PORT` or `[IPV6]:PORT`, or `none`. Not loopback: needs statustlscert, statustlskey and statususers. New.',
  }),
  D({
    name: 'statustlscert',
    scope: 'global',
    type: 'text',
    default: 'unset',
    doc: 'PEM certificate (chain) file: the status server speaks HTTPS. New.',
  }),
  D({
    name: 'statustlskey',
    scope: 'global',
    type: 'text',
    default: 'unset',
    doc: 'PEM private key file of statustlscert. New.',
  }),
  D({
    name: 'statususers',
    scope: 'global',
    type: 'text',
    default: 'unset',
    doc: 'File of `user:scrypt:N:r:p:SALT:HASH` lines; operator actions need one, and with it every page needs Basic credentials. New.',
  }),
  D({
    name: 'announce',
    scope: 'both',
    type: 'yesno',
    default: 'no',
    doc: 'Announce the virtual address over BGP (through the speaker on `announcesocket`) while the service can serve: a healthy real server, a kernel table that agrees. New.',
  }),
  D({
    name: 'announcefallback',
    scope: 'both',
    type: 'yesno',
    default: 'no',
    doc: 'Keep announcing while only the fallback (sorry) server serves. New.',
  }),
  D({
    name: 'announcenexthop',
    scope: 'global',
    type: 'text',
    default: 'self',
    doc: "Next hop of the announced routes: `self` (the BGP session's own address) or an IP address. New.",
  }),
  D({
    name: 'announcedrain',
    scope: 'global',
    type: 'uint',
    default: '2',
    doc: 'Seconds a withdrawn VIP keeps its last real servers in the kernel table after its checks fail, so that the flows the router sends while BGP converges are served, not reset; 0 removes them at once. New.',
  }),
  D({
    name: 'announcesocket',
    scope: 'global',
    type: 'text',
    default: '/var/run/ldirectord.announce.sock',
    doc: "Unix socket the speaker's process (`ldirectord-exabgp`, run by ExaBGP) connects to. New.",
  }),
  D({
    name: 'syncdaemon',
    scope: 'global',
    type: 'text',
    default: 'unset',
    doc: 'IPVS connection-sync daemons to keep running: `master`, `backup`, `both` (the pair setup) or `none` (stop them); unset = not managed. New.',
  }),
  D({
    name: 'syncdaemonstop',
    scope: 'global',
    type: 'yesno',
    default: 'no',
    doc: 'Stop the sync daemons when the director stops (no: keep them and their connection state). New.',
  }),
  D({
    name: 'syncgroup',
    scope: 'global',
    type: 'text',
    default: '224.0.0.81',
    doc: 'Multicast group of the sync messages (IPv4 or IPv6 multicast address). New.',
  }),
  D({
    name: 'syncid',
    scope: 'global',
    type: 'uint',
    default: '0',
    doc: 'Sync id 0..255 sent by the master; a backup accepts only its own id (0: any). New.',
  }),
  D({
    name: 'syncinterface',
    scope: 'global',
    type: 'text',
    default: 'unset',
    doc: 'Network interface the sync daemons send and listen on (required with syncdaemon). New.',
  }),
  D({
    name: 'syncmaxlen',
    scope: 'global',
    type: 'posint',
    default: 'from the interface MTU',
    doc: 'Maximum sync message payload in bytes (1..65507). New.',
  }),
  D({ name: 'syncport', scope: 'global', type: 'port', default: '8848', doc: 'UDP port of the sync messages. New.' }),
  D({
    name: 'syncttl',
    scope: 'global',
    type: 'posint',
    default: '1',
    doc: 'Multicast TTL of the sync messages (1..255). New.',
  }),
  D({
    name: 'timeout',
    scope: 'global',
    type: 'deprecated',
    default: '-',
    deprecated: 'timeout directive deprecated in favour of checktimeout and negotiatetimeout',
    doc: 'Deprecated: always an error.',
  }),
  // ---- global and per virtual
  D({
    name: 'checkcount',
    scope: 'both',
    type: 'posint',
    default: '1',
    doc: 'ICMP attempts for ping checks (deprecated: warning).',
  }),
  D({
    name: 'checkinterval',
    scope: 'both',
    type: 'posint',
    default: '10',
    doc: 'Seconds between checks of a real server (per virtual honoured in every mode).',
  }),
  D({
    name: 'checktimeout',
    scope: 'both',
    type: 'posint',
    default: 'unset (effective 5)',
    doc: 'Timeout for connect, ping and external checks; see the timeout chain.',
  }),
  D({
    name: 'cleanstop',
    scope: 'both',
    type: 'yesno',
    default: 'yes',
    doc: 'Remove the virtual services from IPVS on stop.',
  }),
  D({
    name: 'connecttimeout',
    scope: 'both',
    type: 'deprecated',
    default: '-',
    deprecated: 'connecttimeout directive deprecated in favour of negotiatetimeout',
    doc: 'Deprecated: always an error.',
  }),
  D({
    name: 'emailalert',
    scope: 'both',
    type: 'emailalert',
    default: 'none',
    doc: 'Comma-separated alert mail recipients (quotes optional).',
  }),
  D({
    name: 'emailalertfreq',
    scope: 'both',
    type: 'uint',
    default: '0',
    doc: 'Seconds between "Inaccessible real server" reminders (0 = none).',
  }),
  D({
    name: 'emailalertstatus',
    scope: 'both',
    type: 'emailalertstatus',
    default: 'all',
    doc: 'Daemon states that send alerts: all, none, or a comma list of starting, running, stopping, reloading.',
  }),
  D({
    name: 'failurecount',
    scope: 'both',
    type: 'posint',
    default: '1',
    doc: 'Consecutive failed checks before a real server is taken out.',
  }),
  D({
    name: 'fallback',
    scope: 'both',
    type: 'fallback',
    default: 'unset',
    doc: 'IPv4 sorry server `HOST[:PORT] [gate|masq|ipip]` used when no real server is up.',
  }),
  D({
    name: 'fallback6',
    scope: 'both',
    type: 'fallback',
    family: 'inet6',
    default: 'unset',
    doc: 'IPv6 sorry server `[ADDR][:PORT] [gate|masq|ipip]`.',
  }),
  D({
    name: 'fallbackcommand',
    scope: 'both',
    type: 'text',
    default: 'unset',
    doc: 'Command run as `CMD start|stop VIP:VPORT PROTOCOL` when the fallback is switched.',
  }),
  D({
    name: 'negotiatetimeout',
    scope: 'both',
    type: 'posint',
    default: 'unset (effective 30)',
    doc: 'Timeout for negotiate checks; see the timeout chain.',
  }),
  D({
    name: 'quiescent',
    scope: 'both',
    type: 'yesno',
    default: 'no',
    doc: "Set a failed real server's weight to 0 instead of removing it.",
  }),
  D({
    name: 'smtp',
    scope: 'both',
    type: 'host',
    default: 'unset',
    doc: 'SMTP server for alert mails (else the local mailer).',
  }),
  D({
    name: 'successcount',
    scope: 'both',
    type: 'posint',
    default: '1',
    doc: 'Consecutive successful checks before a failed real server returns. New.',
  }),
  // ---- per virtual only
  D({
    name: 'real',
    scope: 'virtual',
    type: 'real',
    repeatable: true,
    default: '-',
    doc: 'Real server(s): `HOST[->HOST2][:PORT] gate|masq|ipip [WEIGHT] ["REQ", "RECV"] [l:LOW] [u:HIGH]`.',
  }),
  D({
    name: 'real6',
    scope: 'virtual',
    type: 'real',
    family: 'inet6',
    repeatable: true,
    default: '-',
    doc: 'IPv6 real server: `[ADDR][:PORT] gate|masq|ipip ...` (only in virtual6 sections).',
  }),
  D({
    name: 'checktype',
    scope: 'virtual',
    type: 'checktype',
    default: 'negotiate',
    doc: 'negotiate, connect, ping, external, external-perl, on, off, or N (negotiate, then N connects).',
  }),
  D({
    name: 'service',
    scope: 'virtual',
    type: 'service',
    default: 'from the virtual port',
    doc: 'Protocol spoken by negotiate checks (dns, ftp, http, https, http_proxy, imap, imaps, ldap, ldaps, mysql, nntp, none, pgsql, pop, pops, radius, sip, simpletcp, smtp, submission).',
  }),
  D({
    name: 'checkcommand',
    scope: 'virtual',
    type: 'text',
    default: '/bin/true',
    doc: 'Program run by external checks with VIP VPORT RIP RPORT.',
  }),
  D({
    name: 'checkport',
    scope: 'virtual',
    type: 'port',
    default: 'the real port',
    doc: "Port checked instead of the real server's port (1..65535).",
  }),
  D({
    name: 'request',
    scope: 'virtual',
    type: 'quoted',
    default: '"/"',
    doc: 'What negotiate checks ask for (HTTP path, DNS name, SQL query, ...); a leading `/` is added unless it is an absolute URL.',
  }),
  D({
    name: 'receive',
    scope: 'virtual',
    type: 'quoted',
    default: '""',
    doc: 'Regular expression the answer must match.',
  }),
  D({
    name: 'httpmethod',
    scope: 'virtual',
    type: 'httpmethod',
    default: 'GET',
    doc: 'GET or HEAD for http/https checks.',
  }),
  D({
    name: 'virtualhost',
    scope: 'virtual',
    type: 'text',
    default: 'unset',
    doc: 'Host header of http/https checks.',
  }),
  D({
    name: 'login',
    scope: 'virtual',
    type: 'quoted',
    default: '"" (ftp: anonymous; sip: ldirectord@HOSTNAME)',
    doc: 'User name for checks that log in.',
  }),
  D({
    name: 'passwd',
    scope: 'virtual',
    type: 'quoted',
    default: '"" (ftp: ldirectord@HOSTNAME)',
    doc: 'Password for checks that log in.',
  }),
  D({
    name: 'database',
    scope: 'virtual',
    type: 'quoted-any',
    default: '""',
    doc: 'Database name for mysql/pgsql checks.',
  }),
  D({ name: 'secret', scope: 'virtual', type: 'quoted-any', default: '""', doc: 'RADIUS shared secret.' }),
  D({ name: 'load', scope: 'virtual', type: 'raw', default: 'unset', doc: 'Accepted and ignored, as in ldirectord.' }),
  D({
    name: 'scheduler',
    scope: 'virtual',
    type: 'scheduler',
    default: 'wrr',
    doc: 'IPVS scheduler name (lowercase letters).',
  }),
  D({
    name: 'persistent',
    scope: 'virtual',
    type: 'persistent',
    default: 'unset',
    doc: 'Persistence timeout in seconds (ipvsadm -p).',
  }),
  D({
    name: 'netmask',
    scope: 'virtual',
    type: 'netmask',
    default: '255.255.255.255 / 128',
    doc: 'Persistence granularity: dotted mask (IPv4) or prefix length 1..128 (IPv6).',
  }),
  D({
    name: 'schedflags',
    scope: 'virtual',
    type: 'schedflags',
    default: 'unset',
    doc: 'Comma list of sh-fallback, sh-port, mh-fallback, mh-port, flag-1, flag-2, flag-3 (ipvsadm -b).',
  }),
  D({
    name: 'protocol',
    scope: 'virtual',
    type: 'protocol',
    default: 'tcp (udp for port 53, fwm for marks)',
    doc: 'tcp or udp for address virtuals, fwm for firewall marks.',
  }),
  D({ name: 'ops', scope: 'virtual', type: 'yesno', default: 'no', doc: 'One-packet scheduling (UDP only).' }),
  D({
    name: 'monitorfile',
    scope: 'virtual',
    type: 'text',
    default: 'unset',
    doc: 'File to which every check result of this virtual is appended.',
  }),
  D({ name: 'servicename', scope: 'virtual', type: 'raw', default: 'unset', doc: 'Name prefixed to alert subjects.' }),
  D({ name: 'comment', scope: 'virtual', type: 'raw', default: 'unset', doc: 'Comment line added to alert mails.' }),
];

const BY_NAME: ReadonlyMap<string, DirectiveSpec> = new Map(DIRECTIVES.map((d) => [d.name, d]));

export function directive(name: string): DirectiveSpec | undefined {
  return BY_NAME.get(name);
}

export function allowedIn(spec: DirectiveSpec, where: 'global' | 'virtual'): boolean {
  return spec.scope === 'both' || spec.scope === where;
}
