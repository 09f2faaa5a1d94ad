// Real-world configs: the sample shipped by Debian's ldirectord package, and this project's conf.d examples,
// with their --print-table output pinned.

import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load';
import { printTable } from '../../src/cli/print-table';
import { SCHEMA_ID, YAML_SCHEMA_LINE } from '../../src/config/schema';
import { fakeResolver, memFs, short } from './helpers';

const root = join(__dirname, '..', '..');
const fixture = (name: string): string => join(root, 'test', 'fixtures', 'config', name);
const realFs = { readFile: (p: string) => fs.readFile(p, 'utf8'), readdir: (p: string) => fs.readdir(p) };

describe('Debian ldirectord 4.12 sample (test/fixtures/config/debian-sample.cf)', () => {
  test('loads as shipped, without warnings, and describes its one active virtual service', async () => {
    const r = await loadConfig(fixture('debian-sample.cf'), { resolver: fakeResolver(), ...realFs });
    if (!r.ok) throw new Error(r.errors.map(short).join('\n'));
    expect(r.config.warnings).toEqual([]);
    const v = r.config.virtuals[0]!;
    expect(r.config.virtuals).toHaveLength(1);
    expect(r.config.global).toMatchObject({ checktimeout: 3, checkinterval: 1, autoreload: true, quiescent: false });
    expect(v).toMatchObject({
      id: 'tcp:192.168.6.240:80',
      service: 'http',
      scheduler: 'rr',
      checkport: 80,
      request: '/index.html',
      receive: 'Test Page',
      virtualhost: 'www.x.y.z',
      servicename: 'Web Site',
      comment: 'Test load balanced web site',
      checktimeout: 3,
      negotiatetimeout: 3,
      fallback: { address: '127.0.0.1', port: 80, forwarding: 'gate' },
    });
    expect(printTable(r.config)).toBe(
      [
        '-A -t 192.168.6.240:80 -s rr',
        '-a -t 192.168.6.240:80 -r 192.168.6.2:80 -g -w 1',
        '-a -t 192.168.6.240:80 -r 192.168.6.3:80 -g -w 1',
        '-a -t 192.168.6.240:80 -r 192.168.6.6:80 -g -w 1',
        '',
      ].join('\n'),
    );
  });

  test('the Debian conffile (a comment-only dummy) loads as an empty config', async () => {
    const r = await loadConfig(fixture('debian-dummy.cf'), { resolver: fakeResolver(), ...realFs });
    expect(r.ok && r.config.virtuals).toEqual([]);
  });

  test("with every commented-out sample section enabled, exactly the sample's own mistakes are reported", async () => {
    const text = await fs.readFile(fixture('debian-sample.cf'), 'utf8');
    const enabled = text
      .split('\n')
      .map((l) => (/^#(virtual|\t)/.test(l) ? l.slice(1) : l))
      .join('\n');
    const path = '/etc/ha.d/enabled.cf';
    const r = await loadConfig(path, { resolver: fakeResolver(), ...memFs({ [path]: enabled }) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(short)).toEqual([
      // the range sample repeats the http sample's 192.168.6.240:80
      expect.stringMatching(
        /^\d+:1: E_DUPLICATE_VIRTUAL duplicate virtual server tcp:192\.168\.6\.240:80 \(first defined at \/etc\/ha\.d\/enabled\.cf:28\)$/,
      ),
      expect.stringMatching(/E_ORACLE_UNSUPPORTED service=oracle is not supported/),
      // the SIP sample's typo real=192.168.6.2::5060
      ...[2, 3, 6].map(() => expect.stringMatching(/E_BAD_ADDRESS real: IPv6 addresses must be written in brackets/)),
    ]);
    expect(r.errors).toHaveLength(5);
  });
});

describe('conf.d/example.cf and conf.d/services', () => {
  test('loads from disk: main-file globals, then the services in name order, both syntaxes', async () => {
    const r = await loadConfig(join(root, 'conf.d', 'example.cf'), { resolver: fakeResolver(), ...realFs });
    if (!r.ok) throw new Error(r.errors.map(short).join('\n'));
    expect(r.config.warnings).toEqual([]);
    expect(r.config.virtuals.map((v) => [v.id, v.source.file.replace(`${root}/`, '')])).toEqual([
      ['tcp:127.0.0.100:80', 'conf.d/services/10-http-fallback.cf'],
      ['tcp:127.0.0.100:443', 'conf.d/services/20-https-virtualhost.yaml'],
      ['udp:127.0.0.100:53', 'conf.d/services/30-dns-udp.yaml'],
      ['fwm:7', 'conf.d/services/40-fwmark.cf'],
      ['tcp:[2001:db8::100]:80', 'conf.d/services/50-ipv6.yaml'],
    ]);
    const [http, https, dns, fwm, v6] = r.config.virtuals;
    expect(http!.fallback).toMatchObject({ address: '127.0.0.1', port: 8081, forwarding: 'masq' });
    expect(https!).toMatchObject({
      virtualhost: 'www.example.org',
      persistent: 600,
      netmask: '255.255.255.0',
      checktimeout: 3,
      negotiatetimeout: 5,
    });
    expect(dns!).toMatchObject({ protocol: 'udp', service: 'dns', ops: true, schedflags: 'sh-fallback,sh-port' });
    // the global fallback applies to the fwmark virtual (ldirectord produced an invalid ipvsadm call here);
    // in the kernel its port becomes 0 like every gate destination of a mark (see the table below)
    expect(fwm!.fallback).toMatchObject({ address: '127.0.0.1', port: 80, forwarding: 'gate' });
    expect(v6!.fallback).toMatchObject({ family: 'inet6', address: '::1', port: 8081 });
    expect(printTable(r.config)).toBe(
      [
        '-A -t 127.0.0.100:80 -s wlc',
        '-a -t 127.0.0.100:80 -r 127.0.0.11:8080 -m -w 2',
        '-a -t 127.0.0.100:80 -r 127.0.0.12:8080 -m -w 1',
        '-A -t 127.0.0.100:443 -s wrr -p 600 -M 255.255.255.0',
        '-a -t 127.0.0.100:443 -r 127.0.0.11:8443 -m -w 1',
        '-a -t 127.0.0.100:443 -r 127.0.0.12:8443 -m -w 2',
        '-A -u 127.0.0.100:53 -s sh -o -b sh-fallback,sh-port',
        '-a -u 127.0.0.100:53 -r 127.0.0.21:5353 -m -w 1',
        '-a -u 127.0.0.100:53 -r 127.0.0.22:5353 -m -w 1',
        '-A -f 7 -s rr -p 300',
        '-a -f 7 -r 127.0.0.31:0 -g -w 1',
        '-a -f 7 -r 127.0.0.32:0 -g -w 2',
        '-A -t [2001:db8::100]:80 -s wrr',
        '-a -t [2001:db8::100]:80 -r [::1]:8080 -m -w 1',
        '',
      ].join('\n'),
    );
  });

  test("each example file also validates against the JSON schema's list of keys", async () => {
    const schema = JSON.parse(await fs.readFile(join(root, 'schema', 'virtual-service.schema.json'), 'utf8')) as {
      properties: Record<string, unknown>;
    };
    const dir = join(root, 'conf.d', 'services');
    const yamls = (await fs.readdir(dir)).filter((f) => f.endsWith('.yaml'));
    expect(yamls.length).toBe(3);
    for (const f of yamls) {
      const doc = parse(await fs.readFile(join(dir, f), 'utf8')) as Record<string, unknown>;
      expect(Object.keys(doc).filter((k) => !(k in schema.properties))).toEqual([]);
    }
  });

  test('each example file names the schema for yaml-language-server, by a path that reaches it; the schema has a real $id', async () => {
    const dir = join(root, 'conf.d', 'services');
    const schemaFile = join(root, 'schema', 'virtual-service.schema.json');
    const schema = JSON.parse(await fs.readFile(schemaFile, 'utf8')) as { $id: string };
    expect(schema.$id).toBe(SCHEMA_ID);
    expect(schema.$id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const yamls = (await fs.readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
    for (const f of yamls) {
      const first = (await fs.readFile(join(dir, f), 'utf8')).split('\n')[0] ?? '';
      expect([f, first]).toEqual([f, YAML_SCHEMA_LINE]);
      const target = /\$schema=(\S+)$/.exec(first)?.[1] ?? '';
      expect([f, resolve(dir, target)]).toEqual([f, schemaFile]);
    }
  });
});
