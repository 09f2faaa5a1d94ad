// Act: keeps the speaker's routes as the plan says (plan.ts). Each update publishes the wanted state to the
// feed (server.ts), logs every prefix that changes side with its reason, and counts the changes for the
// metrics; status() is what the status page and /status.json show. It never throws: a feed that cannot
// send is the feed's error (counted here through error()).
//
//   update(plan, nexthop) → publish {routes, nexthop}; per changed prefix: log + transitions[prefix]++
//   stop()                → publish {routes: []} (withdraw everything), then close the feed

import type { AnnouncePlan, PrefixVerdict } from './plan';
import type { FeedServer } from './server';

export interface PrefixStatus extends PrefixVerdict {
  /** Epoch ms of the last change of side (or of the first plan). */
  readonly since: number;
  /** Changes of side since start (announced ↔ withdrawn); the first plan is not a change. */
  readonly transitions: number;
}

export interface AnnounceStatus {
  readonly socket: string;
  readonly nexthop: string;
  /** Speaker processes connected to the feed now. */
  readonly speakers: number;
  readonly prefixes: readonly PrefixStatus[];
  /** Feed errors since start. */
  readonly errors: number;
  readonly lastError: { readonly at: number; readonly message: string } | null;
}

export interface AnnounceLog {
  info(message: string): void;
  error(message: string): void;
}

export interface AnnounceKeeper {
  update(plan: AnnouncePlan, nexthop: string): void;
  /** A feed error: logged and counted. */
  error(message: string): void;
  status(): AnnounceStatus;
  /** The prefix is announced now (as last published). */
  announced(prefix: string): boolean;
  stop(): Promise<void>;
}

export interface AnnounceKeeperOptions {
  readonly socket: string;
  readonly server: Pick<FeedServer, 'publish' | 'clients' | 'close'>;
  readonly logger: AnnounceLog;
  /** Epoch ms. */
  readonly now: () => number;
}

export function createAnnounceKeeper(o: AnnounceKeeperOptions): AnnounceKeeper {
  let prefixes = new Map<string, PrefixStatus>();
  let nexthop = 'self';
  let errors = 0;
  let lastError: AnnounceStatus['lastError'] = null;
  let stopped = false;
  let published: string | undefined;

  const update = (plan: AnnouncePlan, hop: string): void => {
    if (stopped) return;
    const next = new Map<string, PrefixStatus>();
    for (const v of plan.verdicts) {
      const was = prefixes.get(v.prefix);
      const changed = was !== undefined && was.announce !== v.announce;
      if (was === undefined ? v.announce : changed || (!v.announce && was.reason !== v.reason))
        o.logger.info(`Announce: ${v.prefix} ${v.announce ? 'announced' : 'withdrawn'} (${v.reason})`);
      next.set(v.prefix, {
        ...v,
        since: was === undefined || changed ? o.now() : was.since,
        transitions: (was?.transitions ?? 0) + (changed ? 1 : 0),
      });
    }
    prefixes = next;
    nexthop = hop;
    const key = `${plan.routes.join(' ')}|${hop}`;
    if (key === published) return;
    published = key;
    o.server.publish({ routes: plan.routes, nexthop: hop });
  };

  return {
    update,
    error: (message) => {
      errors++;
      lastError = { at: o.now(), message };
      o.logger.error(message);
    },
    announced: (prefix) => !stopped && prefixes.get(prefix)?.announce === true,
    status: () => ({
      socket: o.socket,
      nexthop,
      speakers: o.server.clients(),
      prefixes: [...prefixes.values()],
      errors,
      lastError,
    }),
    stop: async () => {
      if (stopped) return;
      update(
        {
          routes: [],
          verdicts: [...prefixes.values()].map((p) => ({
            prefix: p.prefix,
            announce: false,
            reason: 'director stopped',
          })),
        },
        nexthop,
      );
      stopped = true;
      await o.server.close();
    },
  };
}
