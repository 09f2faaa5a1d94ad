// The arrangements the pair benchmark knows: what runs on each director, by the name its cases use.
//   keepalived-ours  keepalived VRRP moves the VIP, ldirectord-ts on both directors keeps table and sync
//   keepalived-own   keepalived alone: VRRP, its own checker and its lvs_sync_daemon (no ldirectord-ts)
//   keepalived-own-preempt30  the same with preempt_delay 30 instead of 8
//   pacemaker-ours   corosync + pacemaker move the VIP (IPaddr2), ldirectord-ts on both keeps table and sync
//   pacemaker-ours-stay  the same with resource-stickiness (docs/deployment.md's advice): director 1 comes back
//                    as the standby, and the failback is director 2's crash (scenario.ts)
import { startCheckerNode } from '../../test/support/pair/keepalived-checker';
import { startNode } from '../../test/support/pair/keepalived-pair';
import { startPacemakerNode } from '../../test/support/pair/pacemaker-pair';
import type { Forwarding } from '../../test/support/pair/plan';
import type { StartNode, StoryOptions } from '../../test/support/pair/scenario';

export interface CaseOptions {
  readonly forwarding: Forwarding;
  readonly sync: boolean;
  readonly dir: string;
}

export interface Arrangement {
  readonly startNode: StartNode;
  /** Bound on one takeover, ms: the cluster manager's detection time and then some. */
  readonly takeoverTimeoutMs: number;
  /** How the VIP goes back to director 1 (scenario.ts; default: it returns and takes it back). */
  readonly failback?: StoryOptions['failback'];
}

/** VRRP timing of both keepalived arrangements: 1 s adverts (master-down 3.6 s), preempt after 8 s. */
const VRRP = { advertInt: 1, preemptDelay: 8 } as const;
/** corosync's token: a lost node is noticed after token + consensus (1.2 × token) = 11 s. */
const TOKEN_MS = 5000;

const known: Readonly<Record<string, (o: CaseOptions) => Arrangement>> = {
  'keepalived-ours': (o) => ({ startNode: (b, d) => startNode(b, d, { ...o, ...VRRP }), takeoverTimeoutMs: 30_000 }),
  'keepalived-own': (o) => ({
    startNode: (b, d) => startCheckerNode(b, d, { ...o, ...VRRP }),
    takeoverTimeoutMs: 30_000,
  }),
  // The same with 30 s for the returning node's backup sync daemon to hear the other node before it preempts.
  'keepalived-own-preempt30': (o) => ({
    startNode: (b, d) => startCheckerNode(b, d, { ...o, ...VRRP, preemptDelay: 30 }),
    takeoverTimeoutMs: 30_000,
  }),
  // Every resource action is a chain of shell forks, slow in the guest: a looser bound than VRRP's.
  'pacemaker-ours': (o) => ({
    startNode: (b, d) => startPacemakerNode(b, d, { ...o, tokenMs: TOKEN_MS }),
    takeoverTimeoutMs: 180_000,
  }),
  'pacemaker-ours-stay': (o) => ({
    startNode: (b, d) => startPacemakerNode(b, d, { ...o, tokenMs: TOKEN_MS, stay: true }),
    takeoverTimeoutMs: 180_000,
    failback: 'crash-taker',
  }),
};

/** What runs on a node of `arrangement`; throws naming the known ones for an unknown name. */
export function arrangement(name: string, o: CaseOptions): Arrangement {
  const make = known[name];
  if (make === undefined) throw new Error(`unknown arrangement '${name}' (known: ${Object.keys(known).join(', ')})`);
  return make(o);
}
