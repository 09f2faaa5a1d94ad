// The validated, frozen configuration: what src/config produces from ldirectord.cf (+ conf.d) and what the
// daemon, the health checks and the reconciler consume. Every value here is already *effective*: defaults
// applied, the timeout precedence chain resolved, names resolved to addresses, ranges expanded.
// Times are in seconds, as in ldirectord.cf.

export type Family = 'inet' | 'inet6';
export type Forwarding = 'gate' | 'masq' | 'ipip';
/** ldirectord's protocol= values; `fwm` for firewall-mark virtual services. */
export type Protocol = 'tcp' | 'udp' | 'fwm';

export const SERVICES = [
  'dns',
  'ftp',
  'http',
  'https',
  'http_proxy',
  'imap',
  'imaps',
  'ldap',
  'ldaps',
  'mysql',
  'nntp',
  'none',
  'oracle',
  'pgsql',
  'pop',
  'pops',
  'radius',
  'sip',
  'simpletcp',
  'smtp',
  'submission',
] as const;
export type ServiceName = (typeof SERVICES)[number];

export type CheckType =
  | { readonly kind: 'negotiate' }
  | { readonly kind: 'connect' }
  | { readonly kind: 'ping' }
  | { readonly kind: 'external' }
  | { readonly kind: 'external-perl' }
  | { readonly kind: 'on' }
  | { readonly kind: 'off' }
  /** ldirectord's bare integer: negotiate, then N connect checks, then negotiate again. */
  | { readonly kind: 'combined'; readonly n: number };

export type DaemonState = 'starting' | 'running' | 'stopping' | 'reloading';

/** Where a value came from, for error messages and logs: `file:line:col`. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface RealServer {
  readonly source: SourceRef;
  readonly family: Family;
  /** Canonical address text without brackets (`10.0.0.1`, `2001:db8::1`). */
  readonly address: string;
  /** 0 when omitted (fwmark services). */
  readonly port: number;
  readonly forwarding: Forwarding;
  readonly weight: number;
  /** Per-real overrides of the virtual's request/receive; undefined when not given. */
  readonly request?: string;
  readonly receive?: string;
  /** Connection thresholds (`l:` / `u:`); 0 = none. */
  readonly lowerThreshold: number;
  readonly upperThreshold: number;
}

/** The sorry server. Weight is always 1 and thresholds 0 (as ldirectord). */
export interface Fallback {
  readonly source: SourceRef;
  readonly family: Family;
  readonly address: string;
  readonly port: number;
  readonly forwarding: Forwarding;
}

export interface VirtualService {
  /** ldirectord's vid: `tcp:VIP:PORT`, `udp:VIP:PORT`, `fwm:MARK`, `fwm6:MARK` (IPv6 in brackets). */
  readonly id: string;
  readonly source: SourceRef;
  readonly family: Family;
  readonly protocol: Protocol;
  /** Absent for fwmark services. */
  readonly address?: string;
  /** 0 for fwmark services. */
  readonly port: number;
  readonly fwmark?: number;

  readonly reals: readonly RealServer[];

  readonly checktype: CheckType;
  readonly service: ServiceName;
  readonly checkcommand: string;
  /** Effective values after the precedence chain of docs/behaviour.md §2.8. */
  readonly checktimeout: number;
  readonly negotiatetimeout: number;
  readonly checkcount: number;
  readonly failurecount: number;
  /** New: consecutive successes before a failed real server returns (default 1 = ldirectord). */
  readonly successcount: number;
  readonly checkinterval: number;
  readonly checkport?: number;
  /** Starts with `/` (added when missing, as ldirectord does) unless it is an absolute URL (`http://...`). */
  readonly request: string;
  readonly receive: string;
  readonly httpmethod: 'GET' | 'HEAD';
  readonly virtualhost?: string;
  readonly login: string;
  readonly passwd: string;
  readonly database: string;
  readonly secret: string;

  readonly scheduler: string;
  /** Persistence timeout in seconds; undefined = not persistent. */
  readonly persistent?: number;
  /** IPv4 dotted mask or IPv6 prefix length (only meaningful with persistent). */
  readonly netmask?: string | number;
  readonly schedflags?: string;
  readonly ops: boolean;

  /** Effective sorry server (per-virtual, else the global one of the matching family). */
  readonly fallback?: Fallback;
  readonly fallbackcommand?: string;
  readonly quiescent: boolean;
  readonly cleanstop: boolean;
  /** New: announce the address over BGP while the service can serve (src/announce/plan.ts); unset = no. */
  readonly announce?: boolean;
  /** New: the fallback alone is enough to announce. */
  readonly announcefallback?: boolean;

  readonly emailalert: readonly string[];
  readonly emailalertfreq: number;
  readonly emailalertstatus: readonly DaemonState[];
  readonly smtp?: string;
  readonly monitorfile?: string;
  readonly servicename?: string;
  readonly comment?: string;
}

export interface GlobalConfig {
  /** As written (unset = undefined); the effective per-virtual values are on VirtualService. */
  readonly checktimeout?: number;
  readonly negotiatetimeout?: number;
  readonly checkinterval: number;
  readonly checkcount: number;
  readonly failurecount: number;
  readonly successcount: number;
  readonly autoreload: boolean;
  /** New: real servers enter the table before their first check decides (keepalived's behaviour; default no). */
  readonly addbeforecheck?: boolean;
  /** New: a reload may remove every virtual service (default no: such a reload is refused). */
  readonly allowemptyreload?: boolean;
  readonly callback?: string;
  /** Global sorry servers; port 0 = "each virtual's own port" (the effective one is VirtualService.fallback). */
  readonly fallback?: Fallback;
  readonly fallback6?: Fallback;
  readonly fallbackcommand?: string;
  /** Absolute path → file; otherwise a syslog facility name. */
  readonly logfile: string;
  readonly execute: readonly string[];
  readonly fork: boolean;
  readonly supervised: boolean;
  readonly quiescent: boolean;
  readonly readdquiescent: boolean;
  readonly emailalert: readonly string[];
  readonly emailalertfreq: number;
  readonly emailalertstatus: readonly DaemonState[];
  readonly emailalertfrom?: string;
  readonly cleanstop: boolean;
  readonly smtp?: string;
  /** New: STARTTLS for alert mails to smtp= (unset = no, as the original). */
  readonly smtpstarttls?: SmtpStartTls;
  /** New: AUTH user for alert mails; set together with smtppasswordfile. */
  readonly smtpuser?: string;
  readonly smtppasswordfile?: string;
  readonly maintenancedir?: string;
  /** New: worker threads for the network checks (unset = 0 = none). Read at start. */
  readonly checkworkers?: number;
  /** New: seconds between full kernel resyncs that repair drift (0 = off). */
  readonly resyncinterval: number;
  /** New: conf.d directory as written (relative to the main file's directory); its virtuals are in Config. */
  readonly confdir?: string;
  /** New: the status server's directives as written (validated by src/observe/http/settings.ts). */
  readonly statusaddress?: TextAt;
  readonly statustlscert?: TextAt;
  readonly statustlskey?: TextAt;
  readonly statususers?: TextAt;
  /** New: the IPVS connection-sync daemons to keep running; undefined = syncdaemon unset, not managed. */
  readonly syncdaemon?: SyncConfig;
  /** New: BGP announcement through a speaker (docs/decisions/013-bgp-announce.md); the feed runs while some
   * virtual service has announce=yes. Undefined in hand-built configs: no announcing. */
  readonly announce?: AnnounceConfig;
  /** New: stop the managed sync daemons when the director stops (unset = no: keep the connection state). */
  readonly syncdaemonstop?: boolean;
}

/** no = never (the original's behaviour); auto = when offered, certificate unchecked; yes = required, verified. */
export type SmtpStartTls = 'no' | 'auto' | 'yes';

/** What alert delivery over SMTP needs from the smtp* directives. */
export interface SmtpSettings {
  readonly starttls: SmtpStartTls;
  readonly user?: string;
  readonly passwordFile?: string;
}

/** New: where the speaker's process finds the daemon and what it announces (config/announce-settings.ts). */
export interface AnnounceConfig {
  /** announcesocket: the unix socket the speaker's process connects to. */
  readonly socket: string;
  /** announcenexthop: `self` or an IP address. */
  readonly nexthop: string;
  /** announcedrain in ms: how long a withdrawn VIP keeps its last real servers (src/announce/drain.ts). */
  readonly drainMs: number;
  /** Global announce= and announcefallback=: the virtual services' defaults. */
  readonly byDefault: boolean;
  readonly fallback: boolean;
}

export type SyncRole = 'master' | 'backup';

/** New: the connection-sync daemons as configured (docs/config.md "Connection synchronisation"). */
export interface SyncConfig {
  /** Where `syncdaemon=` was written. */
  readonly source: SourceRef;
  /** In kernel order (master, backup); empty for `syncdaemon=none` (stop any that run). */
  readonly roles: readonly SyncRole[];
  /** Empty only when roles is empty. */
  readonly interface: string;
  readonly interfaceAt?: SourceRef;
  readonly syncid: number;
  /** Unset → the kernel's defaults (maxlen from the interface MTU, 224.0.0.81, 8848, ttl 1). */
  readonly maxlen?: number;
  readonly group?: string;
  readonly port?: number;
  readonly ttl?: number;
}

/** A directive's text value with where it was written. */
export interface TextAt {
  readonly value: string;
  readonly at: SourceRef;
}

export type Severity = 'error' | 'warning';

/** One problem found in a config: printed as `file:line:col: CODE message`. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly source: SourceRef;
}

export interface Config {
  /** The resolved path of the main file. */
  readonly file: string;
  readonly global: GlobalConfig;
  /** In config order (main file first, then conf.d files in name order). */
  readonly virtuals: readonly VirtualService[];
  readonly warnings: readonly Diagnostic[];
}
