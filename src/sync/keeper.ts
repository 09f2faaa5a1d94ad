// Act: keeps the kernel's connection-sync daemons as the config says. One read (GET_DAEMON), the pure plan
// (plan.ts), then each op through the IPVS client. A refusal (ENODEV for a missing interface, EEXIST, EINVAL…)
// is logged, counted and kept for the status page; it never throws, so the director keeps checking and
// reconciling, and the next pass (resync, reload) tries again.
//
//   start / reload / resync → sync(config)   stop → stop(config): stops them only with syncdaemonstop=yes
// Calls are serialised: a resync and a reload never interleave their ops.

import { isIpvsError } from '../ipvs/errors';
import type { IpvsClient, SyncDaemon } from '../ipvs/types';
import type { Config, SyncConfig, SyncRole } from '../model/config';
import { describeDaemon, describeSyncOp, planSync, planSyncStop, type SyncOp } from './plan';

export type SyncPhase = 'start' | 'reload' | 'resync' | 'stop';

export interface SyncError {
  /** Epoch ms. */
  readonly at: number;
  readonly phase: SyncPhase;
  /** `start master sync daemon on eth1 syncid 7`, or `read the sync daemons`. */
  readonly operation: string;
  /** The errno name (`ENODEV`) or the error code. */
  readonly errno: string;
  readonly message: string;
}

export interface SyncRoleStatus {
  readonly role: SyncRole;
  readonly wanted: boolean;
  /** As the kernel reported it at the last pass; null = not running. */
  readonly running: SyncDaemon | null;
  readonly lastError: SyncError | null;
}

export interface SyncStatus {
  /** False while syncdaemon is unset: the director leaves sync daemons alone. */
  readonly managed: boolean;
  readonly stopAtExit: boolean;
  readonly roles: readonly SyncRoleStatus[];
  /** Refusals since start, by `role|errno` (role `any` for a failed read). */
  readonly errors: Readonly<Record<string, number>>;
  /** Epoch ms of the last pass; null before the first. */
  readonly lastPass: number | null;
}

export interface SyncKeeper {
  sync(config: Config, phase: Exclude<SyncPhase, 'stop'>): Promise<void>;
  stop(config: Config): Promise<void>;
  status(): SyncStatus;
}

/** The lines the keeper writes; the daemon's logger (observe/log) fits it. */
export interface SyncLog {
  info(message: string): void;
  error(message: string): void;
}

export interface SyncKeeperOptions {
  readonly client: Pick<IpvsClient, 'listSyncDaemons' | 'startSyncDaemon' | 'stopSyncDaemon'>;
  readonly logger: SyncLog;
  readonly now: () => number;
}

const ROLES: readonly SyncRole[] = ['master', 'backup'];

export function createSyncKeeper(o: SyncKeeperOptions): SyncKeeper {
  let managed: SyncConfig | undefined;
  let stopAtExit = false;
  let running: readonly SyncDaemon[] = [];
  let lastPass: number | null = null;
  const requested = new Map<SyncRole, SyncDaemon>();
  const lastError = new Map<SyncRole, SyncError>();
  const errors = new Map<string, number>();
  let queue: Promise<void> = Promise.resolve();

  const fail = (phase: SyncPhase, role: SyncRole | 'any', operation: string, e: unknown): void => {
    const errno = isIpvsError(e) ? e.code : 'ERROR';
    const message = e instanceof Error ? e.message : String(e);
    const err: SyncError = { at: o.now(), phase, operation, errno, message };
    const key = `${role}|${errno}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
    if (role === 'any') for (const r of ROLES) lastError.set(r, err);
    else lastError.set(role, err);
    o.logger.error(`sync daemon: ${operation} failed (${phase}): ${message}`);
  };

  const read = async (phase: SyncPhase): Promise<readonly SyncDaemon[] | undefined> => {
    try {
      running = await o.client.listSyncDaemons();
      return running;
    } catch (e) {
      fail(phase, 'any', 'read the sync daemons', e);
      return undefined;
    }
  };

  const apply = async (ops: readonly SyncOp[], phase: SyncPhase): Promise<void> => {
    for (const op of ops) {
      const role = op.kind === 'stop' ? op.role : op.daemon.state;
      const what = describeSyncOp(op);
      try {
        if (op.kind === 'stop') await o.client.stopSyncDaemon(op.role);
        else await o.client.startSyncDaemon(op.daemon);
        if (op.kind === 'start') requested.set(role, op.daemon);
        else requested.delete(role);
        lastError.delete(role);
        o.logger.info(`sync daemon: ${what} (${phase})`);
      } catch (e) {
        fail(phase, role, what, e);
      }
    }
    if (ops.length > 0) await read(phase);
  };

  const serial = (f: () => Promise<void>): Promise<void> => {
    const next = queue.then(f, f);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    sync: (config, phase) =>
      serial(async () => {
        // A reload that drops syncdaemon stops the daemons this director ran, once; then they are left alone.
        const wanted = config.global.syncdaemon ?? (managed !== undefined ? { ...managed, roles: [] } : undefined);
        managed = config.global.syncdaemon;
        stopAtExit = config.global.syncdaemonstop ?? false;
        if (wanted === undefined) return;
        const actual = await read(phase);
        lastPass = o.now();
        if (actual === undefined) return;
        await apply(planSync(wanted, actual, requested), phase);
      }),
    stop: (config) =>
      serial(async () => {
        const desired = config.global.syncdaemon;
        if (desired === undefined) return;
        if (!(config.global.syncdaemonstop ?? false)) {
          if (running.length > 0)
            o.logger.info(
              `sync daemon: left running at stop (syncdaemonstop=no): ${running.map(describeDaemon).join('; ')}`,
            );
          return;
        }
        const actual = await read('stop');
        if (actual === undefined) return;
        await apply(planSyncStop(desired, true, actual), 'stop');
      }),
    status: () => ({
      managed: managed !== undefined,
      stopAtExit,
      roles: ROLES.map((role) => ({
        role,
        wanted: managed?.roles.includes(role) ?? false,
        running: running.find((d) => d.state === role) ?? null,
        lastError: lastError.get(role) ?? null,
      })),
      errors: Object.fromEntries(errors),
      lastPass,
    }),
  };
}
