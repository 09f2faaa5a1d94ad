// An IPVS table in memory that answers like the kernel: the same errno for the same mistake, in the same order
// of checks (ip_vs_genl_set_cmd → ip_vs_add_service / ip_vs_add_dest / …), and reads shaped like a kernel dump
// (canonical addresses, netmask and tunnel defaults filled in, "none" scheduler kept, HASHED never shown).
// Used by host tests and --dry-run; the conformance suite holds it to the same tests as a real kernel.

import { netmaskToWire } from '../codec/service';
import { zeroStats } from '../codec/stats';
import { ERRNO, IpvsError, isIpvsError, type IpvsOperation } from '../errors';
import type {
  DestKey,
  IpvsClient,
  IpvsDest,
  IpvsDestEntry,
  IpvsInfo,
  IpvsService,
  IpvsServiceEntry,
  ServiceKey,
} from '../types';
import { describeDest, describeKey } from '../describe';
import { destId, serviceId } from '../keys';
import { checkDest, checkDestKey, checkService, checkServiceKey, checkTimeouts } from '../validate';
import { DEFAULT_TIMEOUTS, fail, newestFirst, normalizeDest, normalizeService } from './entries';
import { OpLog, type IpvsOpRecord } from './oplog';
import { SyncDaemons } from './sync-daemons';
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
  /** Records the log keeps (the newest); DEFAULT_OPLOG_LIMIT when absent. */
  readonly logLimit?: number;
}

export interface MemoryIpvs extends IpvsClient {
  /** The newest calls, in order, with their outcomes; counts of every call. */
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

export function createMemoryIpvs(options: MemoryIpvsOptions = {}): MemoryIpvs {
  const schedulers = new Set(options.schedulers ?? KERNEL_SCHEDULERS);
  const engines = new Set(options.persistenceEngines ?? KERNEL_PERSISTENCE_ENGINES);
  const services = new Map<string, StoredService>();
  const daemons = new SyncDaemons();
  const interfaces = new Set(options.interfaces ?? ['lo']);
  let timeouts = DEFAULT_TIMEOUTS;
  let closed = false;
  const log = new OpLog(options.logLimit);

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
      run('start-daemon', undefined, undefined, () => daemons.start(d, mixedFamilyDests(), interfaces)),

    stopSyncDaemon: (state) => run('stop-daemon', undefined, undefined, () => daemons.stop(state)),

    listSyncDaemons: () => run('list-daemons', undefined, undefined, () => daemons.list()),

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
