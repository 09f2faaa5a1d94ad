// The default resolver (/etc/services parsing, getaddrinfo through node:dns) and the config file lookup.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configCandidates, findConfigFile } from '../../src/config/find';
import { lookupService, parseServices, systemResolver } from '../../src/config/resolver';

const SERVICES = `
# comment line
http		80/tcp		www		# WorldWideWeb HTTP
domain		53/tcp
domain		53/udp
syslog		514/udp
broken line
`;

describe('/etc/services', () => {
  const table = parseServices(SERVICES);

  test('names and aliases per protocol', () => {
    expect([
      lookupService(table, 'http', 'tcp'),
      lookupService(table, 'www', 'tcp'),
      lookupService(table, 'http', 'udp'),
    ]).toEqual([80, 80, undefined]);
  });

  test('any = tcp, then udp', () => {
    expect([
      lookupService(table, 'syslog', 'any'),
      lookupService(table, 'domain', 'any'),
      lookupService(table, 'nope', 'any'),
    ]).toEqual([514, 53, undefined]);
  });

  test('systemResolver reads the services file it is given, and resolves literals through getaddrinfo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ldts-'));
    const path = join(dir, 'services');
    writeFileSync(path, SERVICES);
    const r = systemResolver(path);
    expect(await r.service('www', 'tcp')).toBe(80);
    expect(await r.lookup('127.0.0.1', 'inet')).toBe('127.0.0.1');
    expect(await r.lookup('::1', 'inet6')).toBe('::1');
    // (no lookup of an unknown name here: that would send a DNS query off the machine)
    expect(r.hostname().length).toBeGreaterThan(0);
  });

  test('a missing services file means no service names, not a crash', async () => {
    expect(await systemResolver('/nonexistent/services').service('http', 'tcp')).toBeUndefined();
  });
});

describe('config file lookup (docs/behaviour.md §1.2)', () => {
  test('candidates: /etc/ha.d/NAME, /etc/ha.d/conf/NAME, NAME from the current directory', () => {
    expect(configCandidates('web.cf')).toEqual(['/etc/ha.d/web.cf', '/etc/ha.d/conf/web.cf', resolve('web.cf')]);
    expect(configCandidates(undefined)).toEqual([
      '/etc/ha.d/ldirectord.cf',
      '/etc/ha.d/conf/ldirectord.cf',
      resolve('ldirectord.cf'),
    ]);
    expect(configCandidates('/srv/lb/web.cf')).toEqual(['/srv/lb/web.cf']);
  });

  test('the first existing candidate wins; none → undefined', () => {
    const seen: string[] = [];
    const exists = (p: string): boolean => {
      seen.push(p);
      return p === '/etc/ha.d/conf/web.cf' || p === resolve('web.cf');
    };
    expect(findConfigFile('web.cf', exists)).toBe('/etc/ha.d/conf/web.cf');
    expect(seen).toEqual(['/etc/ha.d/web.cf', '/etc/ha.d/conf/web.cf']);
    expect(findConfigFile('web.cf', () => false)).toBeUndefined();
  });

  test('the default checks real files (a directory does not count)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ldts-'));
    writeFileSync(join(dir, 'x.cf'), '');
    expect(findConfigFile(join(dir, 'x.cf'))).toBe(join(dir, 'x.cf'));
    expect(findConfigFile(dir)).toBeUndefined();
  });
});
