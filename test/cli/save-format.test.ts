// Config → IPVS model (src/reconcile/to-ipvs.ts) and the ipvsadm -S -n text (src/ipvs/save-format.ts).

import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printTable } from '../../src/cli/print-table';
import { loadConfig } from '../../src/config/load';
import { formatDest, formatService, formatTable } from '../../src/ipvs/save-format';
import type { IpvsDest, IpvsService } from '../../src/ipvs/types';
import { fallbackDest, toIpvsDest, toIpvsService, toServiceKey } from '../../src/reconcile/to-ipvs';
import { cf, fakeResolver, ok, short } from '../config/helpers';

const FLAGS = { persistent: false, onePacket: false, sched1: false, sched2: false, sched3: false };
const svc = (over: Partial<IpvsService> & object = {}): IpvsService =>
  ({
    family: 'inet',
    protocol: 'tcp',
    address: '192.0.2.1',
    port: 80,
    scheduler: 'wrr',
    flags: FLAGS,
    timeout: 0,
    netmask: '255.255.255.255',
    ...over,
  }) as IpvsService;
const dest = (over: Partial<IpvsDest> = {}): IpvsDest => ({
  family: 'inet',
  address: '192.0.2.10',
  port: 80,
  forwarding: 'route',
  weight: 1,
  upperThreshold: 0,
  lowerThreshold: 0,
  ...over,
});

describe('ipvsadm -S -n format', () => {
  test.each<[IpvsService, string]>([
    [svc(), '-A -t 192.0.2.1:80 -s wrr'],
    [
      svc({ protocol: 'udp', port: 53, scheduler: 'rr', flags: { ...FLAGS, onePacket: true } }),
      '-A -u 192.0.2.1:53 -s rr -o',
    ],
    [svc({ flags: { ...FLAGS, persistent: true }, timeout: 300 }), '-A -t 192.0.2.1:80 -s wrr -p 300'],
    [
      svc({ flags: { ...FLAGS, persistent: true }, timeout: 300, netmask: '255.255.255.0' }),
      '-A -t 192.0.2.1:80 -s wrr -p 300 -M 255.255.255.0',
    ],
    // the mask only matters with persistence, so ipvsadm does not print it otherwise
    [svc({ netmask: '255.255.255.0' }), '-A -t 192.0.2.1:80 -s wrr'],
    [
      svc({ family: 'inet6', address: '2001:db8::1', flags: { ...FLAGS, persistent: true }, timeout: 60, netmask: 64 }),
      '-A -t [2001:db8::1]:80 -s wrr -p 60 -M 64',
    ],
    [
      svc({
        family: 'inet6',
        address: '2001:db8::1',
        flags: { ...FLAGS, persistent: true },
        timeout: 60,
        netmask: 128,
      }),
      '-A -t [2001:db8::1]:80 -s wrr -p 60',
    ],
    [
      { family: 'inet', fwmark: 7, scheduler: 'wlc', flags: FLAGS, timeout: 0, netmask: '255.255.255.255' },
      '-A -f 7 -s wlc',
    ],
    [{ family: 'inet6', fwmark: 9, scheduler: 'wrr', flags: FLAGS, timeout: 0, netmask: 128 }, '-A -f 9 -6 -s wrr'],
    [
      svc({ scheduler: 'sh', flags: { ...FLAGS, sched1: true, sched2: true } }),
      '-A -t 192.0.2.1:80 -s sh -b sh-fallback,sh-port',
    ],
    [
      svc({ scheduler: 'mh', flags: { ...FLAGS, sched2: true, sched3: true } }),
      '-A -t 192.0.2.1:80 -s mh -b mh-port,flag-3',
    ],
    [
      svc({ scheduler: 'wrr', flags: { ...FLAGS, sched1: true, sched3: true } }),
      '-A -t 192.0.2.1:80 -s wrr -b flag-1,flag-3',
    ],
    [
      svc({
        protocol: 'udp',
        port: 5060,
        peName: 'sip',
        flags: { ...FLAGS, persistent: true, onePacket: true },
        timeout: 30,
      }),
      '-A -u 192.0.2.1:5060 -s wrr -p 30 --pe sip -o',
    ],
  ])('%j', (s, expected) => {
    expect(formatService(s)).toBe(expected);
  });

  test.each<[IpvsDest, string]>([
    [dest(), '-a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 1'],
    [
      dest({ forwarding: 'masq', port: 8080, weight: 0, upperThreshold: 9 }),
      '-a -t 192.0.2.1:80 -r 192.0.2.10:8080 -m -w 0',
    ],
    [dest({ forwarding: 'local' }), '-a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 1'],
    [dest({ forwarding: 'tunnel' }), '-a -t 192.0.2.1:80 -r 192.0.2.10:80 -i -w 1 --tun-type ipip'],
    [
      dest({ forwarding: 'tunnel', tunnel: { type: 'gue', port: 6080, csum: 'csum' } }),
      '-a -t 192.0.2.1:80 -r 192.0.2.10:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum',
    ],
    [
      dest({ forwarding: 'tunnel', tunnel: { type: 'gre', port: 0, csum: 'remcsum' } }),
      '-a -t 192.0.2.1:80 -r 192.0.2.10:80 -i -w 1 --tun-type gre --tun-remcsum',
    ],
    [dest({ family: 'inet6', address: '2001:db8::10' }), '-a -t 192.0.2.1:80 -r [2001:db8::10]:80 -g -w 1'],
  ])('%j', (d, expected) => {
    expect(formatDest(svc(), d)).toBe(expected);
  });

  test('a table: each service followed by its destinations, newline-terminated', () => {
    expect(
      formatTable([
        { service: svc(), dests: [dest(), dest({ address: '192.0.2.11', weight: 3 })] },
        { service: svc({ port: 443 }), dests: [] },
      ]),
    ).toBe(
      '-A -t 192.0.2.1:80 -s wrr\n-a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 1\n-a -t 192.0.2.1:80 -r 192.0.2.11:80 -g -w 3\n-A -t 192.0.2.1:443 -s wrr\n',
    );
  });
});

describe('config → IPVS', () => {
  test('service: key, scheduler, persistence, netmask, flags', async () => {
    const c = await ok(
      cf(
        '',
        'virtual=192.0.2.1:53',
        'real=192.0.2.10:53 gate',
        'scheduler=sh',
        'schedflags=sh-port',
        'ops=yes',
        'persistent=120',
        'netmask=255.255.0.0',
      ),
    );
    const v = c.virtuals[0]!;
    expect(toServiceKey(v)).toEqual({ family: 'inet', protocol: 'udp', address: '192.0.2.1', port: 53 });
    expect(toIpvsService(v)).toEqual({
      family: 'inet',
      protocol: 'udp',
      address: '192.0.2.1',
      port: 53,
      scheduler: 'sh',
      flags: { persistent: true, onePacket: true, sched1: false, sched2: true, sched3: false },
      timeout: 120,
      netmask: '255.255.0.0',
    });
  });

  test('non-persistent: timeout 0 and the full mask of the family', async () => {
    const c = await ok(cf('', 'virtual6=[2001:db8::1]:80', 'real6=[2001:db8::10]:80 gate'));
    expect(toIpvsService(c.virtuals[0]!)).toMatchObject({ flags: { persistent: false }, timeout: 0, netmask: 128 });
  });

  test('fwmark services are keyed by mark and family', async () => {
    const c = await ok(cf('', 'virtual6=9', 'real6=[2001:db8::10] gate'));
    expect(toServiceKey(c.virtuals[0]!)).toEqual({ family: 'inet6', fwmark: 9 });
  });

  test('dests: gate/ipip take the virtual port, masq keeps its own; forwarding names; thresholds; weight override', async () => {
    const c = await ok(
      cf(
        '',
        'virtual=192.0.2.1:80',
        'real=192.0.2.10:8080 gate 2 l:1 u:50',
        'real=192.0.2.11:8080 masq 3',
        'real=192.0.2.12:8080 ipip',
        'fallback=127.0.0.1:8081 masq',
      ),
    );
    const v = c.virtuals[0]!;
    const [g, m, i] = v.reals;
    expect(toIpvsDest(v, g!)).toEqual({
      family: 'inet',
      address: '192.0.2.10',
      port: 80,
      forwarding: 'route',
      weight: 2,
      lowerThreshold: 1,
      upperThreshold: 50,
    });
    expect(toIpvsDest(v, m!)).toMatchObject({ port: 8080, forwarding: 'masq', weight: 3 });
    expect(toIpvsDest(v, i!)).toMatchObject({ port: 80, forwarding: 'tunnel' });
    expect(toIpvsDest(v, g!, 0)).toMatchObject({ weight: 0 });
    expect(fallbackDest(v, v.fallback!)).toEqual({
      family: 'inet',
      address: '127.0.0.1',
      port: 8081,
      forwarding: 'masq',
      weight: 1,
      lowerThreshold: 0,
      upperThreshold: 0,
    });
  });

  test('fwmark dests keep their configured port whatever the forwarding (ipvsadm rewrites only TCP/UDP), 0 when none', async () => {
    const c = await ok(
      cf(
        'fallback=127.0.0.1:80',
        'virtual=7',
        'real=192.0.2.10:80 gate',
        'real=192.0.2.11:8080 masq',
        'real=192.0.2.12:8081 ipip',
        'real=192.0.2.13 gate',
      ),
    );
    const v = c.virtuals[0]!;
    expect(v.reals.map((r) => toIpvsDest(v, r).port)).toEqual([80, 8080, 8081, 0]);
    expect(fallbackDest(v, v.fallback!)).toMatchObject({ port: 80, forwarding: 'route', weight: 1 });
  });

  test('fwmark fallback without a port is programmed at port 0', async () => {
    const c = await ok(cf('', 'virtual=7', 'real=192.0.2.10:80 gate', 'fallback=192.0.2.99 gate'));
    const v = c.virtuals[0]!;
    expect(fallbackDest(v, v.fallback!)).toMatchObject({ address: '192.0.2.99', port: 0, forwarding: 'route' });
  });
});

describe('witness: the real ipvsadm', () => {
  // save-witness.table is --print-table of save-witness.cf; save-witness.ipvsadm-S.txt is what the real
  // ipvsadm 1.31 printed with `ipvsadm -S -n` after `ipvsadm -R < save-witness.table` in the guest kernel.
  const fixtures = join(__dirname, '..', 'fixtures', 'config');
  const blocks = (text: string): string[] =>
    text
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .reduce<string[][]>((acc, l) => {
        if (l.startsWith('-A ')) acc.push([l]);
        else acc[acc.length - 1]!.push(l);
        return acc;
      }, [])
      .map((b) => b.join('\n'))
      .sort();

  test('--print-table of save-witness.cf is pinned', async () => {
    const r = await loadConfig(join(fixtures, 'save-witness.cf'), {
      resolver: fakeResolver(),
      readFile: (p) => fs.readFile(p, 'utf8'),
    });
    if (!r.ok) throw new Error(r.errors.map(short).join('\n'));
    expect(printTable(r.config)).toBe(readFileSync(join(fixtures, 'save-witness.table'), 'utf8'));
  });

  test('ipvsadm -S -n printed exactly our lines back (services in kernel order)', () => {
    const ours = blocks(readFileSync(join(fixtures, 'save-witness.table'), 'utf8'));
    const theirs = blocks(readFileSync(join(fixtures, 'save-witness.ipvsadm-S.txt'), 'utf8'));
    expect(ours).toHaveLength(10);
    expect(theirs).toEqual(ours);
  });
});
