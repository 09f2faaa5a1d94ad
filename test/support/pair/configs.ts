// Config text for the programs on each director: keepalived (VRRP only: it moves the VIP and, in NAT, the
// real servers' gateway), heartbeat (ha.cf, haresources), and ldirectord-ts (the same file on both
// directors; the Perl ldirectord's is the same less our own directives). Pure.
import {
  HTTP_PORT,
  NAT_GATEWAY,
  REALS,
  STREAM_PORT,
  VIP,
  directorFront,
  realAddress,
  type DirectorId,
  type Forwarding,
} from './plan';

export interface VrrpOptions {
  readonly forwarding: Forwarding;
  /** Seconds between adverts (VRRPv3 allows centiseconds). */
  readonly advertInt: number;
  /** Seconds a returning higher-priority node waits after its start before it takes the VIP back. */
  readonly preemptDelay: number;
}

/** Director 1 is the preferred master (higher priority), director 2 the standby. */
export const vrrpPriority = (d: DirectorId): number => (d === 1 ? 150 : 100);

export function keepalivedConfig(d: DirectorId, o: VrrpOptions): string {
  const addresses = [`${VIP}/24 dev eth0`, ...(o.forwarding === 'nat' ? [`${NAT_GATEWAY}/24 dev eth1`] : [])];
  return [
    'global_defs {',
    `  router_id pair-d${d}`,
    '  vrrp_version 3',
    '  vrrp_garp_master_delay 1',
    '  vrrp_garp_master_repeat 3',
    '}',
    'vrrp_instance VI_PAIR {',
    '  state BACKUP',
    '  interface eth0',
    '  virtual_router_id 51',
    `  priority ${vrrpPriority(d)}`,
    `  advert_int ${o.advertInt}`,
    ...(o.preemptDelay > 0 ? [`  preempt_delay ${o.preemptDelay}`] : []),
    '  virtual_ipaddress {',
    ...addresses.map((a) => `    ${a}`),
    '  }',
    '}',
    '',
  ].join('\n');
}

export interface DirectorConfigOptions {
  readonly forwarding: Forwarding;
  readonly logfile: string;
  /** The sync id both directors' daemons use; absent: no sync daemons (the no-sync control). */
  readonly syncid?: number;
}

/** The link the sync messages use: the back bridge (eth1), which both directors and the reals share. */
export const SYNC_INTERFACE = 'eth1';

/** The sync lines of the config: master and backup daemons on both directors (docs/config.md). */
export function syncLines(syncid: number | undefined): string[] {
  return syncid === undefined ? [] : ['syncdaemon=both', `syncinterface=${SYNC_INTERFACE}`, `syncid=${syncid}`];
}

/**
 * ldirectord-ts on either director: the HTTP service (negotiate check), the stream service (connect) and,
 * with a sync id, the kernel's connection-sync daemons, which the director itself starts and keeps.
 */
export function ldirectordConfig(o: DirectorConfigOptions): string {
  const method = o.forwarding === 'nat' ? 'masq' : 'gate';
  return [
    'checkinterval=1',
    'checktimeout=2',
    'quiescent=no',
    'cleanstop=no',
    'statusaddress=none',
    `logfile="${o.logfile}"`,
    ...syncLines(o.syncid),
    `virtual=${VIP}:${HTTP_PORT}`,
    ...REALS.map((i) => `\treal=${realAddress(i)}:${HTTP_PORT} ${method} 1`),
    '\tchecktype=negotiate',
    '\tservice=http',
    '\trequest="/"',
    '\treceive="rs"',
    '\tscheduler=rr',
    `virtual=${VIP}:${STREAM_PORT}`,
    ...REALS.map((i) => `\treal=${realAddress(i)}:${STREAM_PORT} ${method} 1`),
    '\tchecktype=connect',
    '\tscheduler=rr',
    '',
  ].join('\n');
}

/** The table a complete director holds, as the lines `/proc/net/ip_vs` lists (hex address:port). */
export function expectedServices(): Array<{ service: string; reals: string[] }> {
  return [HTTP_PORT, STREAM_PORT].map((port) => ({
    service: `${VIP}:${port}`,
    reals: REALS.map((i) => `${realAddress(i)}:${port}`),
  }));
}

/** heartbeat's timers, seconds: `keepalive` between heartbeats, `deadtime` until the peer is declared dead. */
export interface HeartbeatTimers {
  readonly keepalive: number;
  readonly warntime: number;
  readonly deadtime: number;
  /** How long a starting node waits for its peer before it takes the resources alone. */
  readonly initdead: number;
  /** `auto_failback off`: a node that comes back stays standby (the resources move only when their node
   * fails). Default on: the preferred node takes them back when it returns. */
  readonly stay?: boolean;
}

/** ha.cf of node `d`: unicast heartbeats on the front link, v1 resource manager, the preferred node returns
 * (unless `stay`). */
export function heartbeatConfig(d: DirectorId, nodeDir: string, t: HeartbeatTimers): string {
  return [
    `logfile ${nodeDir}/ha-log`,
    `keepalive ${t.keepalive}`,
    `warntime ${t.warntime}`,
    `deadtime ${t.deadtime}`,
    `initdead ${t.initdead}`,
    'udpport 694',
    `ucast eth0 ${directorFront(d === 1 ? 2 : 1)}`,
    `auto_failback ${t.stay === true ? 'off' : 'on'}`,
    'node node1',
    'node node2',
    'crm no',
    '',
  ].join('\n');
}

/**
 * haresources: node1 preferred; the VIP (and in NAT the real servers' gateway) as IPaddr2 resources.
 * `after-vip` adds the director as the seeds have it, `IPaddr2::VIP ... ldirectord::ldirectord.cf` (heartbeat
 * starts resources left to right: the VIP first); `none` is the hot standby (the director is not a resource).
 */
export function heartbeatResources(forwarding: Forwarding, director: 'none' | 'after-vip'): string {
  // In NAT the real servers' gateway comes first: heartbeat starts left to right and stops right to left, so
  // the VIP is never up on a node that cannot route the replies back.
  const ips = [...(forwarding === 'nat' ? [`IPaddr2::${NAT_GATEWAY}/24/eth1`] : []), `IPaddr2::${VIP}/24/eth0`];
  return `${['node1', ...ips, ...(director === 'after-vip' ? ['ldirectord::ldirectord.cf'] : [])].join(' ')}\n`;
}

/** The Perl ldirectord's config: ours without the directives only ldirectord-ts knows. */
export function perlConfig(ours: string): string {
  return ours
    .split('\n')
    .filter((l) => !/^(statusaddress|sync\w*)=/.test(l))
    .join('\n');
}
