// maintenancedir (docs/behaviour.md §4.7): a flag file forces a real server down without running its check. The
// first existing file among
//   DIR/<rip>:<rport>  DIR/<rip>  DIR/<fqdn>:<rport>  DIR/<fqdn>  DIR/<short>:<rport>  DIR/<short>
// counts (<rip> bracketed for IPv6; <short> = first label of the fqdn if it matches [a-z][a-z0-9-]+).
// Unlike the reference, which does a reverse DNS lookup at every check, names are resolved once per config
// load (resolveNames) and the directory is listed at most once per refresh period (1 s by default), so a
// check costs a few Set lookups.
import { readdirSync } from 'node:fs';
import { promises as dns } from 'node:dns';
import type { CheckSpec, Clock } from './types';

export interface MaintenanceDeps {
  readonly dir: string;
  readonly clock: Pick<Clock, 'now'>;
  readonly readdir?: (dir: string) => string[];
  readonly reverse?: (address: string) => Promise<string[]>;
  /** How long a directory listing is trusted (ms); default 1000. */
  readonly refreshMs?: number;
  /** Told once per unreadable-directory episode (e.g. the directory does not exist). */
  readonly onError?: (message: string) => void;
}

export interface Maintenance {
  inMaintenance(spec: CheckSpec): boolean;
  /** Reverse-resolves every address once (call on each config load); failures just mean "no name". */
  resolveNames(addresses: Iterable<string>): Promise<void>;
}

export function candidateNames(address: string, realPort: number, fqdn?: string): string[] {
  const rip = address.includes(':') ? `[${address}]` : address;
  const names = [`${rip}:${realPort}`, rip];
  if (fqdn !== undefined && fqdn !== '') {
    names.push(`${fqdn}:${realPort}`, fqdn);
    const short = fqdn.split('.')[0] ?? '';
    if (short !== fqdn && /^[a-z][a-z0-9-]+$/.test(short)) names.push(`${short}:${realPort}`, short);
  }
  return names;
}

export function createMaintenance(deps: MaintenanceDeps): Maintenance {
  const readdir = deps.readdir ?? ((dir: string) => readdirSync(dir));
  const reverse = deps.reverse ?? ((address: string) => dns.reverse(address));
  const refreshMs = deps.refreshMs ?? 1000;
  let names = new Map<string, string>();
  let listing = new Set<string>();
  let listedAt = -Infinity;
  let failing = false;

  const files = (): Set<string> => {
    const now = deps.clock.now();
    if (now - listedAt < refreshMs) return listing;
    listedAt = now;
    try {
      listing = new Set(readdir(deps.dir));
      failing = false;
    } catch (err) {
      listing = new Set();
      if (!failing) deps.onError?.(`maintenancedir ${deps.dir}: ${(err as Error).message}`);
      failing = true;
    }
    return listing;
  };

  return {
    inMaintenance(spec) {
      const present = files();
      if (present.size === 0) return false;
      return candidateNames(spec.address, spec.realPort, names.get(spec.address)).some((n) => present.has(n));
    },
    async resolveNames(addresses) {
      const distinct = [...new Set(addresses)];
      const next = new Map<string, string>();
      await Promise.all(
        distinct.map(async (address) => {
          try {
            const [name] = await reverse(address);
            if (name !== undefined) next.set(address, name.replace(/\.$/, ''));
          } catch {
            // No PTR record: only the address-based file names apply.
          }
        }),
      );
      names = next; // swapped whole: checks never see a half-resolved map
    },
  };
}
