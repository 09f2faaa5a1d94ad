// Decide: which VIP prefixes this director announces over BGP right now (new; docs/decisions/013-bgp-announce.md).
// Pure: the daemon builds the input from the director's snapshot and the table agreement (agreement.ts) after
// every pass; the keeper (keeper.ts) acts on the result.
//
//   a prefix (the VIP as /32 or /128) is announced when the director runs and EVERY announced virtual service
//   on that address can serve:   ≥ 1 healthy real server with a weight above 0
//                                or its fallback serves and announcefallback=yes
//                                and the kernel table agrees with the last plan for it
//   otherwise it is withdrawn, with the first reason found (virtual services in config order).
// "Every": the router sends all of the VIP's traffic here, every port of it; a director that can serve port 80
// but not 443 would black-hole the 443 flows that ECMP hands it, while another director can take them.
// Firewall-mark services have no address of their own: they are never announced (their VIPs are announced by
// an IP virtual service on the same address, or by the operator).

export interface ServiceState {
  readonly vid: string;
  /** The virtual address; undefined for a firewall-mark service. */
  readonly address?: string;
  readonly family: 'inet' | 'inet6';
  /** announce=yes for this virtual service. */
  readonly announce: boolean;
  /** Real servers that are up and carry a weight above 0 in the plan. */
  readonly healthyReals: number;
  /** The fallback server is in the plan with a weight above 0 (no real can serve). */
  readonly fallbackServing: boolean;
  /** announcefallback=yes: the fallback alone is enough to announce. */
  readonly announceFallback: boolean;
  /** The kernel table agrees with the last plan for this service (agreement.ts). */
  readonly tableAgrees: boolean;
}

export interface AnnounceInput {
  /** False once the director is stopping: everything is withdrawn before the table is purged. */
  readonly running: boolean;
  readonly services: readonly ServiceState[];
}

export interface PrefixVerdict {
  /** `10.0.0.1/32`, `2001:db8::1/128`. */
  readonly prefix: string;
  readonly announce: boolean;
  /** `serving`, `serving (fallback)`, `no healthy real server (tcp:10.0.0.1:443)`, … */
  readonly reason: string;
}

export interface AnnouncePlan {
  /** The prefixes to announce, in prefixOrder. */
  readonly routes: readonly string[];
  /** Every prefix of an announced virtual service, announced or not, in prefixOrder. */
  readonly verdicts: readonly PrefixVerdict[];
}

export const prefixOf = (address: string, family: 'inet' | 'inet6'): string =>
  `${address}/${family === 'inet6' ? 128 : 32}`;

/** IPv4 before IPv6, then by text: a stable order for the plan, the log and the status page. */
export const prefixOrder = (a: string, b: string): number => {
  const six = (p: string): number => (p.includes(':') ? 1 : 0);
  return six(a) - six(b) || (a < b ? -1 : a > b ? 1 : 0);
};

/** Why this service cannot be announced, or undefined when it can serve. */
function blocker(s: ServiceState): string | undefined {
  if (!s.tableAgrees) return `kernel table disagrees with the plan (${s.vid})`;
  if (s.healthyReals > 0) return undefined;
  if (s.fallbackServing && s.announceFallback) return undefined;
  return s.fallbackServing
    ? `only the fallback serves and announcefallback=no (${s.vid})`
    : `no healthy real server (${s.vid})`;
}

export function planAnnouncements(input: AnnounceInput): AnnouncePlan {
  const byPrefix = new Map<string, ServiceState[]>();
  for (const s of input.services) {
    if (!s.announce || s.address === undefined) continue;
    const p = prefixOf(s.address, s.family);
    const list = byPrefix.get(p);
    if (list === undefined) byPrefix.set(p, [s]);
    else list.push(s);
  }
  const verdicts = [...byPrefix.keys()].sort(prefixOrder).map((prefix): PrefixVerdict => {
    if (!input.running) return { prefix, announce: false, reason: 'director stopped' };
    const services = byPrefix.get(prefix) ?? [];
    for (const s of services) {
      const why = blocker(s);
      if (why !== undefined) return { prefix, announce: false, reason: why };
    }
    const onFallback = services.some((s) => s.healthyReals === 0);
    return { prefix, announce: true, reason: onFallback ? 'serving (fallback)' : 'serving' };
  });
  return { routes: verdicts.filter((v) => v.announce).map((v) => v.prefix), verdicts };
}
