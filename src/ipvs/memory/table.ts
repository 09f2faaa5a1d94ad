// An IPVS table in memory that answers like the kernel: the same errno for the same mistake, in the same order
// of checks (ip_vs_genl_set_cmd → ip_vs_add_service / ip_vs_add_dest / …), and reads shaped like a kernel dump
// (canonical addresses, netmask and tunnel defaults filled in, "none" scheduler kept, HASHED never shown).
// Used by host tests and --dry-run; the conformance suite holds it to the same tests as a real kernel.

import { canonicalAddress, numberToIpv4Mask } from '../codec/address';
import { netmaskToWire } from '../codec/service';
import { zeroStats } from '../codec/stats';
import { ERRNO, errnoName, IpvsError, isIpvsError, type IpvsOperation } from '../errors';
import type {
  DestKey,
  IpvsClient,
  IpvsDest,
  IpvsDestEntry,
  IpvsInfo,
  IpvsService,
  IpvsServiceEntry,
  IpvsTimeouts,
  ServiceKey,
  SyncDaemon,
} from '../types';
import { describeDest, describeKey } from '../describe';
import { destId, serviceId } from '../keys';
import { checkDaemon, checkDest, checkDestKey, checkService, checkServiceKey, checkTimeouts } from '../validate';
import { multicastFamily } from '../../model/sync-names';
import { OpLog, type IpvsOpRecord } from './oplog';
import {
  isUsableDestAddress,
  isValidIpv6Prefix,
  KERNEL_PERSISTENCE_ENGINES,
  KERNEL_SCHEDULERS,
  PE_NAME_MAX,
  SCHED_NAME_MAX,
} from './rules';

export interface MemoryIpvsOptions {
  /** Schedulers this "kernel" can load (default: every scheduler of a stock 6.x kernel). */
  readonly schedulers?: readonly string[];
  readonly persistenceEngines?: readonly string[];
  /** Network interfaces of this "kernel's" namespace: a sync daemon on any other gets ENODEV (default: lo). */
  readonly interfaces?: readonly string[];
  /** Called after every operation with its record (for --dry-run printing). */
  readonly onOp?: (record: IpvsOpRecord) => void;
}

export interface MemoryIpvs extends IpvsClient {
  /** Every call so far, in order, with its outcome. */
  readonly log: OpLog;
}

interface StoredService {
  service: IpvsServiceEntry;
  /**
   * By destId, oldest first: an edit keeps its place, as in the kernel's list. Reads list them newest first, as
   * the kernel's list_add_rcu at the head of svc->destinations does. A map, so that every op is O(1) and
   * 100,000 dests in one service cost no more per op than ten.
   */
  dests: Map<string, IpvsDestEntry>;
}

/** The dests of a service as a kernel dump lists them: newest first. */
function newestFirst(dests: ReadonlyMap<string, IpvsDestEntry>): IpvsDestEntry[] {
  const out = [...dests.values()];
  out.reverse();
  return out;
}

const DEFAULT_TIMEOUTS: IpvsTimeouts = { tcp: 900, tcpFin: 120, udp: 300 };
// What start_sync_thread fills in when a field is 0/absent. The kernel derives maxLength from the interface MTU
// (seen: 65507 on lo); without interfaces we assume lo's, or an Ethernet MTU of 1500 for anything else.
const SYNC_DEFAULTS = { mcastGroup: '224.0.0.81', mcastPort: 8848, mcastTtl: 1 } as const;
const syncMaxLength = (ifname: string): number => (ifname === 'lo' ? 65507 : 1472);

function fail(op: IpvsOperation, errno: number, message: string): IpvsError {
  return new IpvsError(op, errno, `${op}: ${errnoName(errno)} (${message})`);
}

function keyOf(k: ServiceKey): ServiceKey {
  return 'fwmark' in k
    ? { family: k.family, fwmark: k.fwmark }
    : { family: k.family, protocol: k.protocol, address: canonicalAddress(k.family, k.address), port: k.port };
}

function normalizeService(s: IpvsService): IpvsServiceEntry {
  const wireMask = netmaskToWire(s);
  return Object.freeze({
    ...keyOf(s),
    scheduler: s.scheduler,
    flags: Object.freeze({
      persistent: !!s.flags.persistent,
      onePacket: !!s.flags.onePacket,
      sched1: !!s.flags.sched1,
      sched2: !!s.flags.sched2,
      sched3: !!s.flags.sched3,
    }),
    timeout: s.timeout,
    netmask: s.family === 'inet' ? numberToIpv4Mask(wireMask) : wireMask,
    ...(s.peName ? { peName: s.peName } : {}),
    stats: zeroStats(),
  });
}

function normalizeDest(d: IpvsDest, counters?: IpvsDestEntry): IpvsDestEntry {
  return Object.freeze({
    family: d.family,
    address: canonicalAddress(d.family, d.address),
    port: d.port,
    forwarding: d.forwarding,
    weight: d.weight,
    upperThreshold: d.upperThreshold,
    lowerThreshold: d.lowerThreshold,
    ...(d.forwarding === 'tunnel'
      ? { tunnel: Object.freeze({ ...(d.tunnel ?? { type: 'ipip', port: 0, csum: 'nocsum' }) }) }
      : {}),
    activeConns: counters?.activeConns ?? 0,
    inactiveConns: counters?.inactiveConns ?? 0,
    persistentConns: counters?.persistentConns ?? 0,
    stats: counters?.stats ?? zeroStats(),
  });
}

export function createMemoryIpvs(options: MemoryIpvsOptions = {}): MemoryIpvs {
  const schedulers = new Set(options.schedulers ?? KERNEL_SCHEDULERS);
  const engines = new Set(options.persistenceEngines ?? KERNEL_PERSISTENCE_ENGINES);
  const services = new Map<string, StoredService>();
  const daemons = new Map<SyncDaemon['state'], SyncDaemon>();
  const interfaces = new Set(options.interfaces ?? ['lo']);
  let timeouts = DEFAULT_TIMEOUTS;
  let closed = false;
  const log = new OpLog();

  const mixedFamilyDests = (): number => {
    let n = 0;
    for (const s of services.values()) for (const d of s.dests.values()) if (d.family !== s.service.family) n++;
    return n;
  };

  /** Runs one operation, logging it with its outcome; every failure is an IpvsError. */
  async function run<T>(
    op: IpvsOperation,
    svc: ServiceKey | undefined,
    dest: DestKey | undefined,
    body: () => T,
  ): Promise<T> {
    const record = (outcome: string): void => {
      const r: Omit<IpvsOpRecord, 'seq' | 'mutating'> = {
        operation: op,
        outcome,
        ...(svc !== undefined ? { service: svc } : {}),
        ...(dest !== undefined ? { dest } : {}),
      };
      const added = log.add(r);
      if (options.onOp) options.onOp(added);
    };
    try {
      if (closed) throw new IpvsError(op, 0, 'the in-memory IPVS table is closed', { code: 'IPVS_CLOSED' });
      const result = body();
      record('ok');
      return result;
    } catch (e) {
      const err = isIpvsError(e)
        ? e
        : new IpvsError(op, ERRNO.EINVAL, (e as Error).message, { code: 'IPVS_BAD_REQUEST', cause: e });
      record(err.code);
      throw err;
    }
  }

  function findService(op: IpvsOperation, k: ServiceKey): StoredService {
    const s = services.get(serviceId(k));
    if (!s) throw fail(op, ERRNO.ESRCH, `no such service ${describeKey(k)}`);
    return s;
  }

  function checkServiceRules(op: IpvsOperation, s: IpvsService): void {
    if (s.scheduler.length > SCHED_NAME_MAX)
      throw fail(op, ERRNO.EINVAL, `scheduler name longer than ${SCHED_NAME_MAX}: ${s.scheduler}`);
    if (s.peName && s.peName.length > PE_NAME_MAX)
      throw fail(op, ERRNO.EINVAL, `persistence engine name longer than ${PE_NAME_MAX}`);
  }

  function checkServiceModules(op: IpvsOperation, s: IpvsService): void {
    if (s.scheduler !== 'none' && !schedulers.has(s.scheduler))
      throw fail(op, ERRNO.ENOENT, `scheduler module ip_vs_${s.scheduler} not found`);
    if (s.peName && !engines.has(s.peName))
      throw fail(op, ERRNO.ENOENT, `persistence engine module ip_vs_pe_${s.peName} not found`);
    if (s.family === 'inet6' && !isValidIpv6Prefix(netmaskToWire(s))) {
      throw fail(op, ERRNO.EINVAL, `IPv6 netmask must be a prefix length 1..128, got ${String(s.netmask)}`);
    }
  }

  /** The checks ip_vs_genl_set_cmd makes on a dest before add/edit, then those of ip_vs_add_dest/edit_dest. */
  function checkDestRules(op: IpvsOperation, svc: StoredService, d: IpvsDest): void {
    if (d.family !== svc.service.family) {
      if (daemons.size > 0)
        throw fail(op, ERRNO.EINVAL, 'a destination of another address family is not allowed while a sync daemon runs');
      if (d.forwarding !== 'tunnel')
        throw fail(op, ERRNO.EINVAL, 'a destination of another address family needs tunnel forwarding');
    }
    if (d.weight < 0) throw fail(op, ERRNO.ERANGE, `weight ${d.weight} is below zero`);
    if (d.lowerThreshold > d.upperThreshold) {
      throw fail(op, ERRNO.ERANGE, `lower threshold ${d.lowerThreshold} is above upper threshold ${d.upperThreshold}`);
    }
    if (d.forwarding === 'tunnel' && d.tunnel?.type === 'gue' && d.tunnel.port === 0)
      throw fail(op, ERRNO.EINVAL, 'GUE tunnel needs a port');
  }

  const client: MemoryIpvs = {
    log,

    listServices: () => run('list-services', undefined, undefined, () => [...services.values()].map((s) => s.service)),

    getService: (k) =>
      run('get-service', k, undefined, () => {
        checkServiceKey('get-service', k);
        return findService('get-service', k).service;
      }),

    addService: (s) =>
      run('add-service', s, undefined, () => {
        checkService('add-service', s);
        checkServiceRules('add-service', s);
        if (services.has(serviceId(s)))
          throw fail('add-service', ERRNO.EEXIST, `service ${describeKey(s)} already exists`);
        checkServiceModules('add-service', s);
        services.set(serviceId(s), { service: normalizeService(s), dests: new Map() });
      }),

    editService: (s) =>
      run('edit-service', s, undefined, () => {
        checkService('edit-service', s);
        checkServiceRules('edit-service', s);
        const stored = findService('edit-service', s);
        checkServiceModules('edit-service', s);
        stored.service = { ...normalizeService(s), stats: stored.service.stats ?? zeroStats() };
      }),

    deleteService: (k) =>
      run('delete-service', k, undefined, () => {
        checkServiceKey('delete-service', k);
        findService('delete-service', k);
        services.delete(serviceId(k));
      }),

    listDests: (k) =>
      run('list-dests', k, undefined, () => {
        checkServiceKey('list-dests', k);
        return newestFirst(findService('list-dests', k).dests);
      }),

    addDest: (k, d) =>
      run('add-dest', k, d, () => {
        checkServiceKey('add-dest', k);
        checkDest('add-dest', d);
        const svc = findService('add-dest', k);
        checkDestRules('add-dest', svc, d);
        const id = destId(d);
        if (svc.dests.has(id)) throw fail('add-dest', ERRNO.EEXIST, `destination ${describeDest(d)} already exists`);
        if (!isUsableDestAddress(d.family, d.address))
          throw fail('add-dest', ERRNO.EINVAL, `destination address ${d.address} is not unicast`);
        svc.dests.set(id, normalizeDest(d));
      }),

    editDest: (k, d) =>
      run('edit-dest', k, d, () => {
        checkServiceKey('edit-dest', k);
        checkDest('edit-dest', d);
        const svc = findService('edit-dest', k);
        checkDestRules('edit-dest', svc, d);
        const id = destId(d);
        const old = svc.dests.get(id);
        if (!old)
          throw fail('edit-dest', ERRNO.ENOENT, `no destination ${describeDest(d)} in service ${describeKey(k)}`);
        svc.dests.set(id, normalizeDest(d, old));
      }),

    deleteDest: (k, d) =>
      run('delete-dest', k, d, () => {
        checkServiceKey('delete-dest', k);
        checkDestKey('delete-dest', d);
        const svc = findService('delete-dest', k);
        if (!svc.dests.delete(destId(d)))
          throw fail('delete-dest', ERRNO.ENOENT, `no destination ${describeDest(d)} in service ${describeKey(k)}`);
      }),

    zero: (k) =>
      run('zero', k, undefined, () => {
        if (k === undefined) return;
        checkServiceKey('zero', k);
        findService('zero', k);
      }),

    info: () => run('info', undefined, undefined, (): IpvsInfo => ({ version: 0x010201, connTableSize: 4096 })),

    getTimeouts: () => run('get-timeouts', undefined, undefined, () => timeouts),

    setTimeouts: (t) =>
      run('set-timeouts', undefined, undefined, () => {
        checkTimeouts('set-timeouts', t);
        timeouts = { tcp: t.tcp || timeouts.tcp, tcpFin: t.tcpFin || timeouts.tcpFin, udp: t.udp || timeouts.udp };
      }),

    startSyncDaemon: (d) =>
      run('start-daemon', undefined, undefined, () => {
        checkDaemon('start-daemon', d);
        // ip_vs_genl_new_daemon: the group must be multicast; then start_sync_thread: EEXIST, then the device.
        if (d.mcastGroup !== undefined && multicastFamily(d.mcastGroup) === undefined)
          throw fail('start-daemon', ERRNO.EINVAL, `sync group ${d.mcastGroup} is not a multicast address`);
        if (mixedFamilyDests() > 0)
          throw fail('start-daemon', ERRNO.EINVAL, 'the sync protocol cannot carry mixed-family destinations');
        if (daemons.has(d.state))
          throw fail('start-daemon', ERRNO.EEXIST, `a ${d.state} sync daemon is already running`);
        if (!interfaces.has(d.mcastInterface))
          throw fail('start-daemon', ERRNO.ENODEV, `no interface ${d.mcastInterface}`);
        daemons.set(
          d.state,
          Object.freeze({
            state: d.state,
            mcastInterface: d.mcastInterface,
            syncId: d.syncId,
            maxLength: d.maxLength || syncMaxLength(d.mcastInterface),
            mcastGroup: d.mcastGroup ?? SYNC_DEFAULTS.mcastGroup,
            mcastPort: d.mcastPort || SYNC_DEFAULTS.mcastPort,
            mcastTtl: d.mcastTtl || SYNC_DEFAULTS.mcastTtl,
          }),
        );
      }),

    stopSyncDaemon: (state) =>
      run('stop-daemon', undefined, undefined, () => {
        if (!daemons.delete(state)) throw fail('stop-daemon', ERRNO.ESRCH, `no ${state} sync daemon is running`);
      }),

    listSyncDaemons: () =>
      run('list-daemons', undefined, undefined, () =>
        (['master', 'backup'] as const).flatMap((s) => {
          const d = daemons.get(s);
          return d ? [d] : [];
        }),
      ),

    flush: () =>
      run('flush', undefined, undefined, () => {
        services.clear();
      }),

    close: async () => {
      closed = true;
    },
  };
  return client;
}
