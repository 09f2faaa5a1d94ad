// Test doubles for the loader: an in-memory file system and a resolver with fixed answers (no DNS).

import { dirname } from 'node:path';
import { formatDiagnostic, loadConfig, type LoadResult, type Resolver } from '../../src/config/load';
import type { Config, VirtualService } from '../../src/model/config';
import { lookupService, parseServices } from '../../src/config/resolver';

const SERVICES = parseServices(`
ftp 21/tcp
smtp 25/tcp mail
domain 53/tcp
domain 53/udp
http 80/tcp www
pop3 110/tcp
https 443/tcp
https 443/udp
mysql 3306/tcp
sip 5060/tcp
sip 5060/udp
only-udp 7777/udp
`);

export const HOSTS: Readonly<Record<string, { inet?: string; inet6?: string }>> = {
  'web1.example': { inet: '192.0.2.11', inet6: '2001:db8::11' },
  'web2.example': { inet: '192.0.2.12' },
  'vip.example': { inet: '192.0.2.1', inet6: '2001:db8::1' },
  'sorry.example': { inet: '127.0.0.9', inet6: '::1' },
  sql01: { inet: '192.0.2.21' },
  sql03: { inet: '192.0.2.23' },
  'v6only.example': { inet6: '2001:db8::66' },
};

export function fakeResolver(hosts = HOSTS): Resolver & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    async lookup(host, family) {
      lookups.push(`${host}/${family}`);
      const a = hosts[host]?.[family];
      if (a === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return a;
    },
    async service(name, protocol) {
      return lookupService(SERVICES, name, protocol);
    },
    hostname: () => 'director.test',
  };
}

export function memFs(files: Readonly<Record<string, string>>): {
  readFile: (p: string) => Promise<string>;
  readdir: (p: string) => Promise<string[]>;
} {
  return {
    async readFile(p) {
      const t = files[p];
      if (t === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return t;
    },
    async readdir(p) {
      const names = Object.keys(files)
        .filter((f) => dirname(f) === p)
        .map((f) => f.slice(p.length + 1));
      if (names.length === 0 && !Object.keys(files).some((f) => f.startsWith(`${p}/`))) {
        throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      }
      return names;
    },
  };
}

export const MAIN = '/etc/ha.d/test.cf';

/** Loads `text` as the main file /etc/ha.d/test.cf, plus any other files given. */
export async function load(text: string, others: Readonly<Record<string, string>> = {}): Promise<LoadResult> {
  return loadConfig(MAIN, { resolver: fakeResolver(), ...memFs({ [MAIN]: text, ...others }) });
}

/** Loads and expects success. */
export async function ok(text: string, others: Readonly<Record<string, string>> = {}): Promise<Config> {
  const r = await load(text, others);
  if (!r.ok) throw new Error(`expected the config to load, got:\n${r.errors.map(formatDiagnostic).join('\n')}`);
  return r.config;
}

/** Loads and expects failure; returns the errors as `line:col: CODE message` (file omitted). */
export async function errors(text: string, others: Readonly<Record<string, string>> = {}): Promise<string[]> {
  const r = await load(text, others);
  if (r.ok) throw new Error('expected errors, the config loaded');
  return r.errors.map(short);
}

export function short(d: {
  source: { file: string; line: number; col: number };
  code: string;
  message: string;
}): string {
  return `${d.source.line}:${d.source.col}: ${d.code} ${d.message}`;
}

/** One virtual section (indented by a tab) after the given globals. */
export function cf(globals: string, virtualLine: string, ...lines: string[]): string {
  return `${globals}${globals ? '\n' : ''}${virtualLine}\n${lines.map((l) => `\t${l}`).join('\n')}\n`;
}

/** The only virtual of a config with one section. */
export async function vs(...lines: string[]): Promise<VirtualService> {
  const c = await ok(cf('', 'virtual=192.0.2.1:80', 'real=192.0.2.10:80 gate', ...lines));
  const v = c.virtuals[0];
  if (!v) throw new Error('no virtual');
  return v;
}
