// The real servers and the fallback of one virtual section (docs/behaviour.md §2.5, §2.7): names resolved,
// ranges expanded, the global fallback applied where the virtual has none, duplicate reals warned about.

import type { Fallback, Family, Protocol, RealServer } from '../model/config';
import { canonicalAddress, expandRange, resolveHost, resolvePort } from './address';
import type { Diagnostics } from './diagnostics';
import type { GlobalContext } from './global-build';
import type { FallbackSpec, RealSpec } from './real-parse';
import type { Resolver } from './resolver';
import { get, type ScopeValues } from './scope';

export async function buildReals(
  specs: readonly RealSpec[],
  family: Family,
  resolver: Resolver,
  diags: Diagnostics,
): Promise<RealServer[]> {
  const out: RealServer[] = [];
  for (const spec of specs) {
    const name = family === 'inet6' ? 'real6' : 'real';
    if (spec.family !== family) {
      diags.error(
        'E_FAMILY',
        spec.family === 'inet6'
          ? 'real6 is only allowed in a virtual6 section'
          : 'real is only allowed in a virtual section, use real6 in a virtual6 section',
        spec.at,
      );
      continue;
    }
    const from = await resolveHost(name, spec.from, family, resolver, diags);
    const to = spec.to ? await resolveHost(name, spec.to, family, resolver, diags) : undefined;
    const port = spec.port ? await resolvePort(name, spec.port, 'any', resolver, diags) : 0;
    if (from === undefined || port === undefined || (spec.to && to === undefined)) continue;
    const addresses = to !== undefined ? expandRange(name, from, to, spec.at, diags) : [from];
    if (!addresses) continue;
    for (const address of addresses) {
      out.push({
        source: spec.at,
        family,
        address,
        port,
        forwarding: spec.forwarding,
        weight: spec.weight,
        ...(spec.request !== undefined ? { request: spec.request, receive: spec.receive } : {}),
        lowerThreshold: spec.lowerThreshold,
        upperThreshold: spec.upperThreshold,
      });
    }
  }
  return out;
}

/** Per-virtual fallback of the section's family, else the global one of that family (also for fwmark virtuals). */
export async function effectiveFallback(
  scope: ScopeValues,
  g: GlobalContext,
  family: Family,
  protocol: Protocol,
  vport: number,
  resolver: Resolver,
  diags: Diagnostics,
): Promise<Fallback | undefined> {
  const own = get<FallbackSpec>(scope, 'fallback');
  const own6 = get<FallbackSpec>(scope, 'fallback6');
  if (family === 'inet' && own6)
    diags.error('E_FAMILY', 'fallback6 is only allowed in a virtual6 section, use fallback', own6.at);
  if (family === 'inet6' && own)
    diags.error('E_FAMILY', 'fallback is only allowed in a virtual section, use fallback6', own.at);
  const portProto = protocol === 'udp' ? 'udp' : protocol === 'tcp' ? 'tcp' : 'any';
  const mine = family === 'inet' ? own : own6;
  if (mine) {
    const address = await resolveHost(family === 'inet' ? 'fallback' : 'fallback6', mine.host, family, resolver, diags);
    const port = mine.port ? await resolvePort('fallback', mine.port, portProto, resolver, diags) : vport;
    if (address === undefined || port === undefined) return undefined;
    return { source: mine.at, family, address: canonicalAddress(address), port, forwarding: mine.forwarding };
  }
  const global = family === 'inet' ? g.fallback : g.fallback6;
  if (!global) return undefined;
  const port = global.spec.port ? await resolvePort('fallback', global.spec.port, portProto, resolver, diags) : vport;
  if (port === undefined) return undefined;
  return { source: global.spec.at, family, address: global.address, port, forwarding: global.spec.forwarding };
}

export function warnDuplicateReals(reals: readonly RealServer[], vport: number, diags: Diagnostics): void {
  const seen = new Map<string, RealServer>();
  for (const r of reals) {
    // As the kernel keys them: gate/ipip destinations take the virtual's port.
    const key = `${r.address}|${r.forwarding === 'masq' ? r.port : vport}`;
    const first = seen.get(key);
    if (first) {
      diags.warn(
        'W_DUPLICATE_REAL',
        `real server ${r.address}:${r.port} repeats the one at line ${first.source.line}; the kernel holds it once`,
        r.source,
      );
    } else seen.set(key, r);
  }
}
