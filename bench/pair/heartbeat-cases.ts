// The heartbeat arrangements of the pair benchmark (bench/pair/driver.ts), by case name:
//   heartbeat-ours            heartbeat holds only the VIP, ldirectord-ts on both directors (hot standby)
//   heartbeat-ours-stay       the same with auto_failback off (docs/deployment.md's advice): director 1 comes
//                             back as the standby, and the failback is director 2's crash (scenario.ts)
//   heartbeat-ours-classic    heartbeat starts ldirectord-ts on takeover (scripts/heartbeat/ldirectord)
//   heartbeat-perl            heartbeat starts the Debian package's Perl ldirectord on takeover
// The classic ones run the director after the VIP (the seeds' haresources order) and without sync daemons
// (the standby runs no director, so nothing would receive them; the Perl ldirectord has no sync support and
// no `ipvsadm --start-daemon` runs beside it).
import { startHeartbeatNode, type HeartbeatDirector } from '../../test/support/pair/heartbeat-pair';
import type { Forwarding } from '../../test/support/pair/plan';
import type { StoryOptions } from '../../test/support/pair/scenario';

/** keepalive 1, deadtime 3: short but realistic (test/guest/pair/heartbeat.test.ts uses the same). */
const TIMERS = { keepalive: 1, warntime: 2, deadtime: 3, initdead: 10 } as const;

const DIRECTORS: Readonly<Record<string, HeartbeatDirector>> = {
  'heartbeat-ours': 'ours-hot',
  'heartbeat-ours-stay': 'ours-hot',
  'heartbeat-ours-classic': 'ours-classic',
  'heartbeat-perl': 'perl-classic',
};

/** The story's options for a heartbeat arrangement; undefined for any other name. */
export function heartbeatStory(
  arrangement: string,
  forwarding: Forwarding,
  sync: boolean,
  dir: string,
): Pick<StoryOptions, 'startNode' | 'awaitSync' | 'coldStandby' | 'takeoverTimeoutMs' | 'failback'> | undefined {
  const director = DIRECTORS[arrangement];
  if (director === undefined) return undefined;
  const hot = director === 'ours-hot';
  if (!hot && sync) throw new Error(`${arrangement}: classic mode has no sync case (the standby runs no director)`);
  const stay = arrangement === 'heartbeat-ours-stay';
  return {
    awaitSync: sync,
    coldStandby: !hot,
    // A bound, not a budget: in the 2026-12-02 guest, heartbeat's IPaddr2 scripts took 25–60 s each, and a node
    // that takes over after a restart runs two of them after its own start (the NAT gateway, then the VIP).
    takeoverTimeoutMs: 300_000,
    failback: stay ? 'crash-taker' : 'return',
    startNode: (b, d) => startHeartbeatNode(b, d, { forwarding, director, sync, dir, stay, ...TIMERS }),
  };
}
