// From the frozen Config to the pool's targets: one PoolTarget per (virtual service, real server).
//   check port   checkport → the real's port (if > 0) → the service's default port (docs/behaviour.md §2.8)
//   request/receive  the real's own pair if given, else the virtual's
//   checktype on/off  forced up/down: no check is ever run
//   ids          `${virtual.id}|${address}:${port}` (address without brackets, as configured)
import type { Config, RealServer, ServiceName, VirtualService } from '../model/config';
import { flat } from '../model/flat';
import type { CheckSpec, PoolTarget } from './types';

/** Reference §2.8, reversed: the port a service listens on when neither checkport nor a real port says. */
export const SERVICE_PORTS: Readonly<Partial<Record<ServiceName, number>>> = {
  ftp: 21,
  smtp: 25,
  dns: 53,
  http: 80,
  pop: 110,
  nntp: 119,
  imap: 143,
  ldap: 389,
  https: 443,
  submission: 587,
  ldaps: 636,
  imaps: 993,
  pops: 995,
  oracle: 1521,
  radius: 1812,
  http_proxy: 3128,
  mysql: 3306,
  sip: 5060,
  pgsql: 5432,
};

export interface TargetOptions {
  /** Verify TLS certificate chains (and the name, when virtualhost is set); default true. See docs/compat.md. */
  readonly tlsVerify?: boolean;
}

/**
 * `${virtual.id}|${address}:${port}`, made once per real server (config objects are immutable) and the same
 * string object for every caller: the pool, the director, the reconciler's shapes and snapshots, the status
 * page and the metrics each made their own, and a heap snapshot at 5,000 real servers held 25,000 copies
 * (docs/benchmarks.md, "Memory"). A real server object belongs to one virtual; the virtual's id is checked
 * anyway.
 */
export function targetId(virtual: VirtualService, real: RealServer): string {
  const known = targetIds.get(real);
  // A vid never contains `|` (director.ts), so the prefix up to the first `|` is the virtual's id.
  if (known !== undefined && known[virtual.id.length] === '|' && known.startsWith(virtual.id)) return known;
  const id = flat`${virtual.id}|${real.address}:${real.port}`;
  targetIds.set(real, id);
  return id;
}

const targetIds = new WeakMap<RealServer, string>();

export function checkPort(virtual: VirtualService, real: RealServer): number {
  if (virtual.checkport !== undefined && virtual.checkport > 0) return virtual.checkport;
  if (real.port > 0) return real.port;
  return SERVICE_PORTS[virtual.service] ?? 0;
}

export function specFor(virtual: VirtualService, real: RealServer, opts: TargetOptions = {}): CheckSpec {
  return {
    checktype: virtual.checktype,
    service: virtual.service,
    protocol: virtual.protocol,
    family: real.family,
    address: real.address,
    port: checkPort(virtual, real),
    realPort: real.port,
    ...(virtual.address !== undefined ? { virtualAddress: virtual.address } : {}),
    virtualPort: virtual.port,
    ...(virtual.fwmark !== undefined ? { fwmark: virtual.fwmark } : {}),
    request: real.request ?? virtual.request,
    receive: real.receive ?? virtual.receive,
    httpmethod: virtual.httpmethod,
    ...(virtual.virtualhost !== undefined ? { virtualhost: virtual.virtualhost } : {}),
    login: virtual.login,
    passwd: virtual.passwd,
    database: virtual.database,
    secret: virtual.secret,
    checkcommand: virtual.checkcommand,
    checktimeout: virtual.checktimeout,
    negotiatetimeout: virtual.negotiatetimeout,
    checkcount: virtual.checkcount,
    tlsVerify: opts.tlsVerify ?? true,
  };
}

function forcedBy(virtual: VirtualService): PoolTarget['forced'] {
  if (virtual.checktype.kind === 'on') return 'up';
  if (virtual.checktype.kind === 'off') return 'down';
  return undefined;
}

export function targetsFor(config: Config, opts: TargetOptions = {}): PoolTarget[] {
  return config.virtuals.flatMap((virtual) => virtualTargets(virtual, opts));
}

/**
 * targetsFor for a daemon's successive configs: a virtual seen before (the same frozen object, which the config
 * loader hands back for an unchanged section, src/config/section-memo.ts) keeps its very target objects, so
 * the pool's diff (target-diff.ts) knows them unchanged at a glance.
 */
export function targetLister(opts: TargetOptions = {}): (config: Config) => PoolTarget[] {
  const seen = new WeakMap<VirtualService, readonly PoolTarget[]>();
  return (config) => {
    const out: PoolTarget[] = [];
    for (const virtual of config.virtuals) {
      let targets = seen.get(virtual);
      if (targets === undefined) {
        targets = virtualTargets(virtual, opts);
        seen.set(virtual, targets);
      }
      for (const t of targets) out.push(t);
    }
    return out;
  };
}

function virtualTargets(virtual: VirtualService, opts: TargetOptions): PoolTarget[] {
  const forced = forcedBy(virtual);
  return virtual.reals.map((real) => ({
    id: targetId(virtual, real),
    spec: specFor(virtual, real, opts),
    intervalMs: Math.max(1, virtual.checkinterval) * 1000,
    failurecount: Math.max(1, virtual.failurecount),
    successcount: Math.max(1, virtual.successcount),
    ...(forced !== undefined ? { forced } : {}),
  }));
}
