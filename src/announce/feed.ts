// The wire between the daemon and the process ExaBGP runs (exabgp-process.ts): a unix stream socket, one JSON
// object per line, daemon → process only. Each line is the whole wanted state (level-triggered, like the
// director itself: docs/decisions/005-level-triggered-director.md), sent on every change and again every
// FEED_HEARTBEAT_MS, so a process that connects late, or that missed nothing, needs no history.
//
//   {"routes":["10.0.0.1/32","2001:db8::1/128"],"nexthop":"self"}\n
//
// The process withdraws everything when the socket closes (the daemon died: the kernel closes its sockets even
// on SIGKILL) or stays silent for FEED_SILENCE_MS (the daemon hangs or is stopped).

export interface FeedMessage {
  readonly routes: readonly string[];
  readonly nexthop: string;
}

export const FEED_HEARTBEAT_MS = 1000;
export const FEED_SILENCE_MS = 3000;
/** A line longer than this is not ours: the process drops the connection. */
const MAX_LINE = 1 << 20;

export const encodeFeed = (m: FeedMessage): string => `${JSON.stringify({ routes: m.routes, nexthop: m.nexthop })}\n`;

export type FeedItem =
  { readonly ok: true; readonly message: FeedMessage } | { readonly ok: false; readonly error: string };

function parseLine(line: string): FeedItem {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { ok: false, error: `not JSON: ${JSON.stringify(line.slice(0, 80))}` };
  }
  const o = v as { routes?: unknown; nexthop?: unknown } | null;
  const routes = o?.routes;
  if (!Array.isArray(routes) || !routes.every((r) => typeof r === 'string' && /^[0-9a-fA-F.:]+\/\d{1,3}$/.test(r)))
    return { ok: false, error: `routes must be a list of prefixes: ${JSON.stringify(line.slice(0, 80))}` };
  if (typeof o?.nexthop !== 'string' || !/^(self|[0-9a-fA-F.:]+)$/.test(o.nexthop))
    return { ok: false, error: `nexthop must be self or an address: ${JSON.stringify(line.slice(0, 80))}` };
  return { ok: true, message: { routes: routes as string[], nexthop: o.nexthop } };
}

/** Splits a byte stream into FeedItems, whatever the chunking. */
export function feedDecoder(): (chunk: string) => FeedItem[] {
  let buffer = '';
  return (chunk) => {
    buffer += chunk;
    const items: FeedItem[] = [];
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() !== '') items.push(parseLine(line));
    }
    if (buffer.length > MAX_LINE) {
      buffer = '';
      items.push({ ok: false, error: `a line longer than ${MAX_LINE} bytes` });
    }
    return items;
  };
}
