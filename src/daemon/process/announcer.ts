// Wires BGP announcement (src/announce) to the running director: after every reconcile pass, the director's
// snapshot and the table agreement become the planner's input (announceInputOf), the plan goes to the keeper,
// the keeper to the feed the speaker's process reads. The feed opens at the first config with a virtual
// service that has announce=yes, and stays open until stop; at stop everything is withdrawn before the
// director purges its table. A feed that cannot open is logged and counted; the director runs on.

import { agrees, AGREED, nextAgreement, type Agreement, type TableEvent } from '../../announce/agreement';
import { createDrain } from '../../announce/drain';
import { createAnnounceKeeper, type AnnounceKeeper, type AnnounceStatus } from '../../announce/keeper';
import { planAnnouncements, prefixOf, type AnnounceInput, type ServiceState } from '../../announce/plan';
import type { FeedServer, FeedServerOptions } from '../../announce/server';
import { targetId } from '../../health/spec';
import type { Clock } from '../../health/types';
import { serviceId } from '../../ipvs/keys';
import type { Config, VirtualService } from '../../model/config';
import { DEFAULT_ANNOUNCE_SOCKET } from '../../model/announce';
import type { Logger } from '../../observe/log/logger';
import type { ReconcileEvent, ReconcileListener } from '../../reconcile/events';
import type { DirectorSnapshot } from '../../reconcile/snapshot';
import { toServiceKey } from '../../reconcile/to-ipvs';

/** The reconciler's events as the agreement reducer reads them; others are not about the table. */
export function tableEventOf(e: ReconcileEvent): TableEvent | undefined {
  switch (e.type) {
    case 'op-failed':
      return { type: 'op-failed', serviceId: serviceId('service' in e.op ? e.op.service : e.op.key) };
    case 'read-failed':
      return { type: 'read-failed' };
    case 'pass':
      return {
        type: 'pass',
        full: e.phase === 'start' || e.phase === 'reload' || e.phase === 'resync',
        failed: e.failed,
      };
    default:
      return undefined;
  }
}

const positive = (w: number | null | 'keep' | undefined): boolean => typeof w === 'number' && w > 0;

export function announceInputOf(config: Config, snap: DirectorSnapshot, agreement: Agreement): AnnounceInput {
  const byVid = new Map(snap.virtuals.map((v) => [v.vid, v]));
  return {
    running: snap.state === 'running',
    services: config.virtuals.map((v): ServiceState => {
      const s = byVid.get(v.id);
      return {
        vid: v.id,
        ...(v.address !== undefined && v.fwmark === undefined ? { address: v.address } : {}),
        family: v.family,
        announce: v.announce ?? false,
        healthyReals: (s?.reals ?? []).filter((r) => r.health === 'up' && positive(r.desiredWeight)).length,
        fallbackServing: s?.fallbackActive === true && positive(s.fallback?.desiredWeight),
        announceFallback: v.announcefallback ?? false,
        tableAgrees: s !== undefined && agrees(agreement, serviceId(toServiceKey(v))),
      };
    }),
  };
}

export interface Announcer {
  /** Subscribe before the first pass. */
  readonly listener: ReconcileListener;
  /** Plan again now (after the director started; after a reload). */
  refresh(): Promise<void>;
  status(): AnnounceStatus | undefined;
  /** For a real server the checks found down: keep it as the kernel has it (announce/drain.ts)? */
  holding(vid: string): boolean;
  /** Withdraws everything and closes the feed. */
  stop(): Promise<void>;
}

export interface AnnouncerOptions {
  readonly config: () => Config;
  /** undefined until the director exists. */
  readonly snapshot: () => DirectorSnapshot | undefined;
  readonly openFeed: (o: FeedServerOptions) => Promise<FeedServer>;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The checks' verdict on a target (the pool's isUp); without it no drain hold starts. */
  readonly isUp?: (targetId: string) => boolean | undefined;
  /** A drain hold ended: the director must pass over the table again (its resync). */
  readonly drained?: () => void;
}

export function createAnnouncer(o: AnnouncerOptions): Announcer {
  let agreement = AGREED;
  let keeper: AnnounceKeeper | undefined;
  let opening: Promise<void> | undefined;
  let failedSocket: string | undefined;
  let stopped = false;
  const now = (): number => o.clock.now();
  /** The current config's virtuals by vid, indexed once per config. */
  let indexed: { config: Config; byVid: ReadonlyMap<string, VirtualService> } | undefined;
  const virtualOf = (vid: string): VirtualService | undefined => {
    const config = o.config();
    if (indexed?.config !== config) indexed = { config, byVid: new Map(config.virtuals.map((v) => [v.id, v])) };
    return indexed.byVid.get(vid);
  };
  const drain = createDrain({
    drainMs: () => o.config().global.announce?.drainMs ?? 0,
    setTimeout: (fn, ms) => o.clock.setTimeout(fn, ms),
    clearTimeout: (h) => o.clock.clearTimeout(h),
    emptying: (vid) => {
      const v = virtualOf(vid);
      if (keeper === undefined || o.isUp === undefined || v?.announce !== true) return false;
      if (v.address === undefined || v.fwmark !== undefined) return false;
      if (v.fallback !== undefined && v.announcefallback === true) return false; // the fallback keeps it announced
      if (!keeper.announced(prefixOf(v.address, v.family))) return false;
      const isUp = o.isUp;
      return v.reals.every((r) => isUp(targetId(v, r)) !== true);
    },
    expired: (vid) => {
      o.logger.info(`announce: drain of ${vid} over; its real servers go as the checks say`);
      o.drained?.();
    },
  });

  const plan = (): void => {
    // Nothing to announce without a feed: no snapshot either (it walks every real server, once per pass).
    if (keeper === undefined) return;
    const snap = o.snapshot();
    if (snap === undefined) return;
    const config = o.config();
    const input = announceInputOf(config, snap, agreement);
    for (const svc of input.services) if (svc.healthyReals > 0) drain.serving(svc.vid);
    keeper.update(planAnnouncements(input), config.global.announce?.nexthop ?? 'self');
  };
  const open = async (): Promise<void> => {
    const socket = o.config().global.announce?.socket ?? DEFAULT_ANNOUNCE_SOCKET;
    if (socket === failedSocket) return;
    let feed: FeedServer;
    try {
      feed = await o.openFeed({ path: socket, clock: o.clock, onError: (m) => keeper?.error(m) });
    } catch (e) {
      failedSocket = socket;
      o.logger.error(`announce: cannot open ${socket}: ${(e as Error).message}; nothing is announced`);
      return;
    }
    if (stopped) return void (await feed.close());
    keeper = createAnnounceKeeper({ socket, server: feed, logger: o.logger, now });
    o.logger.info(`announce: feed for the BGP speaker on ${socket}`);
  };
  const refresh = async (): Promise<void> => {
    if (stopped) return;
    if (keeper === undefined && o.config().virtuals.some((v) => v.announce === true)) {
      await (opening ??= open().finally(() => (opening = undefined)));
    }
    plan();
  };
  return {
    listener: (e) => {
      const t = tableEventOf(e);
      if (t === undefined) return;
      agreement = nextAgreement(agreement, t);
      if (e.type !== 'op-failed') plan();
    },
    refresh,
    status: () => keeper?.status(),
    holding: (vid) => !stopped && drain.holding(vid),
    stop: async () => {
      stopped = true;
      drain.stop();
      await opening;
      await keeper?.stop();
    },
  };
}
