// The two-director test bed as data: which namespaces, links and addresses exist, in `ip -batch` lines per
// namespace. Pure: the effectful edge (topology.ts) runs the batches; the host tests check the plan.
//
//   client ns  eth0 10.20.0.100 ─┐
//   director 1 eth0 10.20.0.1  ──┤ bridge "pfront" (guest root ns, 10.20.0.253)   VIP 10.20.0.10 floats
//   director 2 eth0 10.20.0.2  ──┘
//   director 1 eth1 10.30.0.1  ──┐
//   director 2 eth1 10.30.0.2  ──┤ bridge "pback" (guest root ns, 10.30.0.253)    NAT gateway 10.30.0.254 floats
//   real 1..3  eth0 10.30.0.11.. ┘
//
// NAT (masq): the real servers route through the floating gateway, so replies return through the director
// that holds the VIP. Direct routing (gate): the real servers hold the VIP on lo (arp_ignore/arp_announce)
// and answer the client through the guest's root namespace, which routes between the two bridges; the
// directors only see the client's half. The sync daemons talk over eth1 (the back bridge).

export type Forwarding = 'nat' | 'dr';
export type DirectorId = 1 | 2;

export const FRONT_NET = '10.20.0';
export const BACK_NET = '10.30.0';
export const VIP = `${FRONT_NET}.10`;
export const CLIENT = `${FRONT_NET}.100`;
export const NAT_GATEWAY = `${BACK_NET}.254`;
export const ROUTER_FRONT = `${FRONT_NET}.253`;
export const ROUTER_BACK = `${BACK_NET}.253`;
export const HTTP_PORT = 80;
export const STREAM_PORT = 9000;
export const REALS = [1, 2, 3] as const;
export const FRONT_BRIDGE = 'pfront';
export const BACK_BRIDGE = 'pback';
/**
 * The bridges' own MAC addresses, set when they are made. A Linux bridge without one takes the lowest MAC of
 * its ports and changes it when that port goes: a crashed director's leg took the root namespace's MAC with
 * it, so in DR the real servers sent every reply to a MAC nobody had (flooded, never routed) until their
 * neighbour entry for the router expired, 15-45 s later. That was the DR story's 30 s failover gap
 * (docs/decisions/010-takeover.md); a real router's MAC does not depend on which director is up.
 */
export const BRIDGE_MAC = { [FRONT_BRIDGE]: '02:00:0a:14:00:fd', [BACK_BRIDGE]: '02:00:0a:1e:00:fd' } as const;

export const realAddress = (i: number): string => `${BACK_NET}.${10 + i}`;
export const directorFront = (d: DirectorId): string => `${FRONT_NET}.${d}`;
export const directorBack = (d: DirectorId): string => `${BACK_NET}.${d}`;
export const directorNs = (d: DirectorId): string => `pd${d}`;
export const clientNs = 'pcl';
export const realNs = (i: number): string => `prs${i}`;

export type IpLine = readonly string[];

/** One namespace's share of the work: the batch runs with `ip -n NS -batch -` (or in the root ns). */
export interface NsBatch {
  readonly ns?: string;
  readonly lines: readonly IpLine[];
}

/** A veth from a namespace's `inner` device to a root-side port `outer` on `bridge`. */
function leg(ns: string, inner: string, outer: string, bridge: string): IpLine[] {
  return [
    ['link', 'add', outer, 'type', 'veth', 'peer', 'name', inner, 'netns', ns],
    ['link', 'set', outer, 'master', bridge],
    ['link', 'set', outer, 'up'],
  ];
}

/** Root-side port names of a director's two legs (deleted first when the director "crashes"). */
export const directorPorts = (d: DirectorId): readonly string[] => [`pd${d}f`, `pd${d}b`];

/** Batches that bring director `d` up: its namespace must already exist. */
export function directorPlan(d: DirectorId): NsBatch[] {
  const ns = directorNs(d);
  const [front, back] = directorPorts(d) as [string, string];
  return [
    { lines: [...leg(ns, 'eth0', front, FRONT_BRIDGE), ...leg(ns, 'eth1', back, BACK_BRIDGE)] },
    {
      ns,
      lines: [
        ['addr', 'add', `${directorFront(d)}/24`, 'dev', 'eth0'],
        ['addr', 'add', `${directorBack(d)}/24`, 'dev', 'eth1'],
        ['link', 'set', 'eth0', 'up'],
        ['link', 'set', 'eth1', 'up'],
      ],
    },
  ];
}

/** The whole bed except the directors' legs: bridges, the client and the real servers. */
export function benchPlan(forwarding: Forwarding): NsBatch[] {
  const root: IpLine[] = [
    ['link', 'add', FRONT_BRIDGE, 'address', BRIDGE_MAC[FRONT_BRIDGE], 'type', 'bridge'],
    ['link', 'add', BACK_BRIDGE, 'address', BRIDGE_MAC[BACK_BRIDGE], 'type', 'bridge'],
    ['addr', 'add', `${ROUTER_FRONT}/24`, 'dev', FRONT_BRIDGE],
    ['addr', 'add', `${ROUTER_BACK}/24`, 'dev', BACK_BRIDGE],
    ['link', 'set', FRONT_BRIDGE, 'up'],
    ['link', 'set', BACK_BRIDGE, 'up'],
    ...leg(clientNs, 'eth0', 'pcl', FRONT_BRIDGE),
    ...REALS.flatMap((i) => leg(realNs(i), 'eth0', `prs${i}`, BACK_BRIDGE)),
  ];
  const client: IpLine[] = [
    ['addr', 'add', `${CLIENT}/24`, 'dev', 'eth0'],
    ['link', 'set', 'eth0', 'up'],
  ];
  const real = (i: number): IpLine[] => [
    ['addr', 'add', `${realAddress(i)}/24`, 'dev', 'eth0'],
    ['link', 'set', 'eth0', 'up'],
    ...(forwarding === 'nat'
      ? [['route', 'add', 'default', 'via', NAT_GATEWAY]]
      : [
          ['addr', 'add', `${VIP}/32`, 'dev', 'lo'],
          ['route', 'add', 'default', 'via', ROUTER_BACK],
        ]),
  ];
  return [{ lines: root }, { ns: clientNs, lines: client }, ...REALS.map((i) => ({ ns: realNs(i), lines: real(i) }))];
}

/** Sysctls per namespace (written through /proc by a process in it, not by one `sysctl` fork each). */
export function sysctlPlan(forwarding: Forwarding): Array<{ ns?: string; key: string; value: string }> {
  const dr =
    forwarding === 'dr'
      ? REALS.flatMap((i) => [
          { ns: realNs(i), key: 'net/ipv4/conf/all/arp_ignore', value: '1' },
          { ns: realNs(i), key: 'net/ipv4/conf/all/arp_announce', value: '2' },
        ])
      : [];
  return [{ key: 'net/ipv4/ip_forward', value: '1' }, ...dr];
}

/** The director's own sysctls: it forwards (NAT), and keeps its VIP-less leg quiet. */
export const directorSysctls: ReadonlyArray<{ key: string; value: string }> = [
  { key: 'net/ipv4/ip_forward', value: '1' },
];

/** Names of every namespace the bed uses. */
export const allNamespaces = (): string[] => [clientNs, ...REALS.map(realNs), directorNs(1), directorNs(2)];
