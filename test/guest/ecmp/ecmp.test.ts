// Active/active directors behind ECMP in the guest kernel (issue 17): a router running BIRD 2 (eBGP, hold time
// 3 s, multipath), two directors each running ldirectord-ts and ExaBGP with ldirectord-exabgp as its process
// (announce=yes, scheduler=mh), two real servers in direct routing, a client (test/support/ecmp/bed.sh).
// One bed for the whole file; every wait is on a condition (the router's FIB, the client's counts).
// Shown: one next hop per healthy director; a director whose checks all fail is withdrawn within check
// detection + 1 s; SIGKILL of a director's processes (ldirectord-ts and ExaBGP) is withdrawn within the hold
// time + 1 s; SIGKILL of ldirectord-ts alone is withdrawn at once (its feed closes); with mh a flow reaches the
// same real server whichever director carries it; the client counts the connections that failed; with the
// connection-sync daemons (syncdaemon=both on eth0), long-lived connections of a scheduler that would send a
// moved flow elsewhere (rr, port 9000) survive their director leaving the ECMP set.
import { mkdirSync } from 'node:fs';
import { EcmpBed, DIRECTOR_ADDRESS, type StreamState } from '../../support/ecmp/bed';
import { until } from '../../support/until';

const DIR = '/tmp/ecmp-test';
/** checkinterval=1, failurecount=1 in the bed's config: a failed check is seen within 1 s. */
const DETECTION_MS = 1000;
const HOLD_MS = 3000;
/** A uniprocessor guest on a shared host runs late; the measured figures are printed either way. */
const SLACK_MS = Number(process.env.ECMP_SLACK_MS ?? 1000);
/**
 * The check-driven withdrawal goes through ldirectord-ts's checks, ExaBGP (Python) and BIRD, each slowed by
 * whatever else holds the guest's CPU: idle runs 1.5-2.2 s, 4.3 s with a CPU hog on each host core. Its
 * bound still tells a withdrawal driven by the checks from one that waited for a resync or never came (the
 * BGP session stays up, so nothing else withdraws the route).
 */
const CHECK_PATH_SLACK_MS = Number(process.env.ECMP_CHECK_SLACK_MS ?? 3000);
const PORTS = Array.from({ length: 16 }, (_, i) => 41000 + i);
/** Long-lived connections of the sync story: 2^-16 that none goes through director 1. */
const STREAMS = 16;

const bed = new EcmpBed(DIR);
const both = [DIRECTOR_ADDRESS[1], DIRECTOR_ADDRESS[2]];
const report: Record<string, unknown> = {};

async function hopsBecome(want: readonly string[], limitMs = 300_000): Promise<number> {
  const t0 = Date.now();
  await until(
    `the router's next hops to become [${want.join(', ')}]`,
    async () => {
      const hops = await bed.nexthops();
      return hops.join(' ') === want.join(' ') ? true : undefined;
    },
    { timeoutMs: limitMs, intervalMs: 20 },
  );
  return Date.now() - t0;
}

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  await bed.down().catch(() => undefined);
  await bed.up();
  await bed.director(1);
  await bed.director(2);
}, 900_000);

afterAll(async () => {
  process.stderr.write(`ecmp figures: ${JSON.stringify(report)}\n`);
  await bed.down();
});

async function withTail<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- bed logs ---\n${await bed.tail()}`);
  }
}

describe('ECMP with BGP announcement', () => {
  let mapping: Map<number, string>;

  it('the router has one next hop per healthy director, and flows reach the real servers', () =>
    withTail(async () => {
      report.convergeMs = await hopsBecome(both, 600_000);
      mapping = await bed.probe(PORTS);
      expect([...mapping.values()].filter((v) => v.startsWith('ERR'))).toEqual([]);
      expect(new Set(mapping.values())).toEqual(new Set(['r1', 'r2']));
    }));

  it('withdraws a director whose checks all fail within detection + 1 s; mh keeps every flow on its real server', () =>
    withTail(async () => {
      const loop = bed.loop();
      let withdrawMs: number;
      let probed: Map<number, string>;
      try {
        await until('the client loop to run', () => ((loop.read()?.ok ?? 0) > 0 ? true : undefined));
        await bed.breakChecks(1, true);
        withdrawMs = await hopsBecome([DIRECTOR_ADDRESS[2]]);
        report.checksFailedWithdrawMs = withdrawMs;
        // Every flow now goes through director 2: mh sends each to the real server it reached through either.
        probed = await bed.probe(PORTS);
        await bed.breakChecks(1, false);
        report.checksMendedAnnounceMs = await hopsBecome(both);
      } finally {
        // Stopped on every path: a loop left running would hold the bed busy for the tests after this one.
        report.loop = await loop.stop();
      }
      const counts = report.loop as Awaited<ReturnType<typeof loop.stop>>;
      expect(probed).toEqual(mapping);
      expect(withdrawMs).toBeLessThanOrEqual(DETECTION_MS + 1000 + CHECK_PATH_SLACK_MS);
      expect(counts?.ok).toBeGreaterThan(0);
      // No new connection was sent to a director that could not serve it: none refused (an empty service),
      // unreachable (no route) or timed out (a black hole). A reset comes from a real server: a connection that
      // director 1 served, moved to director 2 mid-way when the route went. Director 1 removed one real server
      // before the other (their checks are not in step), so its mh table sent that flow to the real server
      // director 2's table does not; the synced entry that would fix it is sent within the kernel's 2 s flush
      // (docs/scaling.md). Such resets are counted and bounded, not hidden.
      const resets = counts?.byReason.ECONNRESET ?? 0;
      expect(Object.entries(counts?.byReason ?? {}).filter(([why]) => why !== 'ECONNRESET')).toEqual([]);
      expect(resets).toBeLessThanOrEqual(Math.ceil((counts?.ok ?? 0) / 100));
    }));

  it("SIGKILL of a director's ldirectord-ts and ExaBGP is withdrawn within the hold time + 1 s; with sync its established connections live on", () =>
    withTail(async () => {
      const streams = bed.streams(STREAMS);
      let at: StreamState[] | undefined;
      let viaD1: number;
      let ms: number;
      try {
        // every stream open and echoing, and in both directors' tables: its own director's, and synced
        viaD1 = await until(
          'the streams to echo and be synced to both directors',
          async () => {
            const s = streams.read();
            if (s === undefined || s.length < STREAMS || s.some((x) => x.error !== null || x.echoes < 3))
              return undefined;
            const [d1, d2] = [await bed.connections(1), await bed.connections(2)];
            if (!s.every((x) => d1.has(x.port) && d2.has(x.port))) return undefined;
            // The Conns counters are summed from per-CPU counters by the kernel's estimator every 2 s, so
            // they lag the connection table: wait until the two directors' counts add up to every stream, and
            // keep director 1's.
            const [s1, s2] = [await bed.scheduled(1), await bed.scheduled(2)];
            return s1 + s2 >= STREAMS ? s1 : undefined;
          },
          300_000,
        );
        await bed.kill(1);
        ms = await hopsBecome([DIRECTOR_ADDRESS[2]]);
        // 20 more echoes (2 s) on every stream after the router moved director 1's flows, or one broken
        const moved = new Map((streams.read() ?? []).map((x) => [x.port, x.echoes]));
        await until(
          'every stream to echo 20 more lines after the move (or one to break)',
          async () => {
            const s = streams.read();
            if (s === undefined) return undefined;
            if (s.some((x) => x.error !== null)) return true;
            return s.every((x) => x.echoes >= (moved.get(x.port) ?? 0) + 20) ? true : undefined;
          },
          300_000,
        );
      } finally {
        at = await streams.stop();
      }
      report.sigkillBothWithdrawMs = ms;
      report.syncStreams = { streams: STREAMS, viaKilledDirector: viaD1, broken: at?.filter((x) => x.error !== null) };
      expect(viaD1).toBeGreaterThan(0);
      expect(at?.filter((x) => x.error !== null)).toEqual([]);
      expect(ms).toBeLessThanOrEqual(HOLD_MS + 1000 + SLACK_MS);
      expect(await bed.probe(PORTS)).toEqual(mapping);
    }));

  it('SIGKILL of ldirectord-ts alone is withdrawn at once: ldirectord-exabgp sees its feed close', () =>
    withTail(async () => {
      await bed.killDaemon(2);
      const ms = await hopsBecome([]);
      report.sigkillDaemonWithdrawMs = ms;
      expect(ms).toBeLessThan(HOLD_MS);
    }));
});
