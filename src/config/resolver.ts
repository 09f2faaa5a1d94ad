// Name and service resolution, injected into the loader so tests need no DNS. The default resolver uses
// node:dns lookup (getaddrinfo, first result, the section's family) and /etc/services, like ldirectord.

import { promises as dns } from 'node:dns';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Family } from '../model/config';

export interface Resolver {
  /** Address text (no brackets) for `host` in `family`; rejects when it cannot be resolved. */
  lookup(host: string, family: Family): Promise<string>;
  /** Port of a service name (`http`, `domain`), or undefined when unknown. `any` = tcp, then udp. */
  service(name: string, protocol: 'tcp' | 'udp' | 'any'): Promise<number | undefined>;
  /** This machine's host name (ftp/sip default logins). */
  hostname(): string;
}

export type ServicesTable = ReadonlyMap<string, number>;

/** Parses /etc/services text into `name/proto` → port (aliases included). */
export function parseServices(text: string): ServicesTable {
  const table = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [name, portProto, ...aliases] = line.split(/\s+/);
    const m = /^(\d+)\/(\w+)$/.exec(portProto ?? '');
    if (!name || !m) continue;
    const port = Number(m[1]);
    for (const n of [name, ...aliases]) {
      const key = `${n}/${m[2]}`;
      if (!table.has(key)) table.set(key, port);
    }
  }
  return table;
}

export function lookupService(table: ServicesTable, name: string, protocol: 'tcp' | 'udp' | 'any'): number | undefined {
  if (protocol === 'any') return table.get(`${name}/tcp`) ?? table.get(`${name}/udp`);
  return table.get(`${name}/${protocol}`);
}

export function systemResolver(servicesPath = '/etc/services'): Resolver {
  let table: ServicesTable | undefined;
  const services = (): ServicesTable => {
    if (!table) {
      try {
        table = parseServices(readFileSync(servicesPath, 'utf8'));
      } catch {
        table = new Map();
      }
    }
    return table;
  };
  return {
    async lookup(host, family) {
      const r = await dns.lookup(host, { family: family === 'inet' ? 4 : 6 });
      return r.address;
    },
    async service(name, protocol) {
      return lookupService(services(), name, protocol);
    },
    hostname: () => hostname(),
  };
}
