// ipvsadm as an independent witness of our netlink client, both ways, on the real kernel:
//   client writes → `ipvsadm -Ln` (parsed) shows exactly the model, `ipvsadm -S -n` prints exactly what the
//                   save formatter (src/ipvs/save-format.ts) prints for it;
//   ipvsadm writes → the client reads back exactly the model.
// For every protocol (tcp, udp, sctp, fwmark) × forwarding (route, masq, tunnel) × family (IPv4, IPv6), with
// schedulers, scheduler flags, persistence, netmask, one-packet, thresholds, weights (0 included) and tunnel
// encapsulations varied across the cases. Addresses are documentation ranges inside the guest only.
import { openIpvs } from '../../src/ipvs';
import { formatTable } from '../../src/ipvs/save-format';
import type {
  IpvsClient,
  IpvsDest,
  IpvsDestEntry,
  IpvsFamily,
  IpvsForwarding,
  IpvsProtocol,
  IpvsService,
  IpvsServiceEntry,
  ServiceKey,
  TunnelCsum,
} from '../../src/ipvs/types';
import { createIpvsadm } from '../support/ipvsadm';

type Proto = IpvsProtocol | 'fwmark';
interface Case {
  readonly n: number;
  readonly protocol: Proto;
  readonly forwarding: IpvsForwarding;
  readonly family: IpvsFamily;
}

const PROTOCOLS: Proto[] = ['tcp', 'udp', 'sctp', 'fwmark'];
const FORWARDINGS: IpvsForwarding[] = ['route', 'masq', 'tunnel'];
const FAMILIES: IpvsFamily[] = ['inet', 'inet6'];
const SCHEDULERS = ['wrr', 'sh', 'rr', 'mh', 'lc', 'wlc', 'sed', 'nq', 'dh', 'lblc', 'lblcr', 'fo', 'ovf'];
const CSUMS: TunnelCsum[] = ['nocsum', 'csum', 'remcsum'];

const cases: Case[] = [];
for (const protocol of PROTOCOLS) {
  for (const forwarding of FORWARDINGS) {
    for (const family of FAMILIES) cases.push({ n: cases.length, protocol, forwarding, family });
  }
}

function keyOf(c: Case, side: 0 | 1): ServiceKey {
  const id = c.n * 2 + side + 1; // the two directions use different services
  if (c.protocol === 'fwmark') return { family: c.family, fwmark: 5000 + id };
  const address = c.family === 'inet' ? `192.0.2.${id}` : `2001:db8::${id.toString(16)}`;
  return { family: c.family, protocol: c.protocol, address, port: 1000 + id };
}

/** The service each case programs: the knobs vary with the case number so that all of them get exercised. */
function serviceOf(c: Case, side: 0 | 1): IpvsService {
  const key = keyOf(c, side);
  const scheduler = SCHEDULERS[c.n % SCHEDULERS.length] ?? 'wrr';
  const persistent = c.n % 2 === 0;
  const hashing = scheduler === 'sh' || scheduler === 'mh';
  return {
    ...key,
    scheduler,
    flags: {
      persistent,
      onePacket: c.protocol === 'udp' && c.n % 3 !== 2,
      sched1: hashing && c.n % 4 !== 3,
      sched2: hashing,
      sched3: false,
    },
    timeout: persistent ? 60 + c.n : 0,
    netmask: persistent ? (c.family === 'inet' ? '255.255.255.0' : 64) : c.family === 'inet' ? '255.255.255.255' : 128,
    ...(c.n % 5 === 4 && c.protocol === 'udp' && persistent ? { peName: 'sip' } : {}),
  };
}

/**
 * Three destinations per case, with weights 1, 0 and 65535 and varied thresholds; tunnel cases get ipip, GUE
 * (checksum option varied) and GRE. ipvsadm 1.31 refuses --tun-remcsum with GRE (the kernel accepts it from
 * netlink), so when ipvsadm writes, GRE gets csum instead.
 */
function destsOf(c: Case, s: IpvsService, writer: 'client' | 'ipvsadm' = 'client'): IpvsDest[] {
  const vipPort = 'fwmark' in s ? 0 : s.port;
  const port = c.forwarding === 'masq' ? 8080 : vipPort;
  const address = (i: number): string => (c.family === 'inet' ? `203.0.113.${10 + i}` : `2001:db8:2::${10 + i}`);
  const csum = CSUMS[c.n % CSUMS.length] ?? 'nocsum';
  const tunnels: IpvsDest['tunnel'][] = [
    { type: 'ipip', port: 0, csum: 'nocsum' },
    { type: 'gue', port: 6080 + c.n, csum },
    {
      type: 'gre',
      port: 0,
      csum: writer === 'ipvsadm' && c.n % 3 === 1 ? 'csum' : (CSUMS[(c.n + 1) % CSUMS.length] ?? 'csum'),
    },
  ];
  const shape = [
    { weight: 1, upperThreshold: 0, lowerThreshold: 0 },
    { weight: 0, upperThreshold: 100, lowerThreshold: 10 },
    { weight: 65535, upperThreshold: 5, lowerThreshold: 5 },
  ];
  return shape.map((x, i) => ({
    family: c.family,
    address: address(i),
    port,
    forwarding: c.forwarding,
    ...x,
    ...(c.forwarding === 'tunnel' ? { tunnel: tunnels[i] } : {}),
  }));
}

/** ipvsadm's spelling of a service identity. */
function ipvsadmService(k: ServiceKey): string[] {
  if ('fwmark' in k) return k.family === 'inet6' ? ['-f', String(k.fwmark), '-6'] : ['-f', String(k.fwmark)];
  const flag = k.protocol === 'tcp' ? '-t' : k.protocol === 'udp' ? '-u' : '--sctp-service';
  return [flag, k.family === 'inet6' ? `[${k.address}]:${k.port}` : `${k.address}:${k.port}`];
}

function ipvsadmAddService(s: IpvsService): string[] {
  const args = ['-A', ...ipvsadmService(s), '-s', s.scheduler];
  if (s.flags.persistent) args.push('-p', String(s.timeout), '-M', String(s.netmask));
  if (s.peName !== undefined) args.push('--pe', s.peName);
  if (s.flags.onePacket) args.push('-o');
  const hashing = s.scheduler === 'sh' || s.scheduler === 'mh' ? s.scheduler : undefined;
  const names = [s.flags.sched1 ? `${hashing}-fallback` : '', s.flags.sched2 ? `${hashing}-port` : ''].filter(Boolean);
  if (names.length > 0) args.push('-b', names.join(','));
  return args;
}

function ipvsadmAddDest(s: IpvsService, d: IpvsDest): string[] {
  const fwd = { masq: '-m', route: '-g', tunnel: '-i', local: '-g', bypass: '-g' }[d.forwarding];
  const args = [
    '-a',
    ...ipvsadmService(s),
    '-r',
    d.family === 'inet6' ? `[${d.address}]:${d.port}` : `${d.address}:${d.port}`,
    fwd,
    '-w',
    String(d.weight),
    '-x',
    String(d.upperThreshold),
    '-y',
    String(d.lowerThreshold),
  ];
  if (d.tunnel !== undefined) {
    args.push('--tun-type', d.tunnel.type);
    if (d.tunnel.type === 'gue') args.push('--tun-port', String(d.tunnel.port));
    if (d.tunnel.type !== 'ipip') args.push(`--tun-${d.tunnel.csum}`);
  }
  return args;
}

const serviceConfig = (s: IpvsServiceEntry): IpvsService => {
  const { stats: _stats, ...rest } = s;
  return rest;
};
const destConfig = (d: IpvsDestEntry): IpvsDest => {
  const { stats: _s, activeConns: _a, inactiveConns: _i, persistentConns: _p, ...rest } = d;
  return rest;
};
const sameKey = (a: ServiceKey, b: ServiceKey): boolean =>
  ('fwmark' in a && 'fwmark' in b && a.fwmark === b.fwmark && a.family === b.family) ||
  (!('fwmark' in a) &&
    !('fwmark' in b) &&
    a.family === b.family &&
    a.protocol === b.protocol &&
    a.address === b.address &&
    a.port === b.port);

/** The lines of an `ipvsadm -S -n` dump that belong to one service. */
function saveLinesOf(dump: string, s: IpvsService): string[] {
  const id = ipvsadmService(s).join(' ');
  return dump.split('\n').filter((l) => l.startsWith(`-A ${id} `) || l.startsWith(`-a ${id} `));
}

describe('ipvsadm witness on the real kernel', () => {
  const ipvsadm = createIpvsadm();
  let ipvs: IpvsClient;

  beforeAll(async () => {
    ipvs = await openIpvs({ timeoutMs: 30_000 }); // a loaded guest can be slow; slowness is not under test
  });
  afterAll(async () => {
    await ipvs.close();
  });

  describe.each(cases)('$protocol / $forwarding / $family', (c) => {
    test('the client writes; ipvsadm -Ln shows the same model and -S -n what the save formatter prints', async () => {
      const s = serviceOf(c, 0);
      const dests = destsOf(c, s);
      await ipvs.addService(s);
      try {
        for (const d of dests) await ipvs.addDest(s, d);

        const listed = (await ipvsadm.list()).filter((l) => sameKey(l.service, s));
        expect(listed).toEqual([{ service: s, dests }]);
        const saved = saveLinesOf(await ipvsadm.save(), s);
        expect(saved).toEqual(
          formatTable([{ service: s, dests }])
            .trimEnd()
            .split('\n'),
        );
      } finally {
        await ipvs.deleteService(s);
      }
      expect(saveLinesOf(await ipvsadm.save(), s)).toEqual([]);
    });

    test('ipvsadm writes; the client reads back exactly the same model', async () => {
      const s = serviceOf(c, 1);
      const dests = destsOf(c, s, 'ipvsadm');
      // The first half of the cases use one ipvsadm process per rule (as the Perl ldirectord does), the second
      // half one `ipvsadm -R` with the same rules (each ipvsadm start costs ~0.1 s in the guest).
      const rules = [ipvsadmAddService(s), ...dests.map((d) => ipvsadmAddDest(s, d))];
      if (c.n < cases.length / 2) {
        for (const r of rules) await ipvsadm.exec(r);
      } else {
        await ipvsadm.restore(rules.map((r) => `${r.join(' ')}\n`).join(''));
      }
      try {
        const services = (await ipvs.listServices()).filter((x) => sameKey(x, s)).map(serviceConfig);
        expect(services).toEqual([s]);
        expect(serviceConfig(await ipvs.getService(s))).toEqual(s);
        const read = (await ipvs.listDests(s)).map(destConfig);
        expect(read.sort((a, b) => a.address.localeCompare(b.address))).toEqual(dests);
      } finally {
        await ipvs.deleteService(s);
      }
    });
  });

  test('a literal anchor: what ipvsadm -S -n prints for a persistent IPv4 TCP service with three kinds of dests', async () => {
    const s: IpvsService = {
      family: 'inet',
      protocol: 'tcp',
      address: '192.0.2.200',
      port: 80,
      scheduler: 'wrr',
      flags: { persistent: true, onePacket: false, sched1: false, sched2: false, sched3: false },
      timeout: 300,
      netmask: '255.255.255.0',
    };
    await ipvs.addService(s);
    try {
      await ipvs.addDest(s, {
        family: 'inet',
        address: '203.0.113.5',
        port: 8080,
        forwarding: 'masq',
        weight: 3,
        upperThreshold: 100,
        lowerThreshold: 10,
      });
      await ipvs.addDest(s, {
        family: 'inet',
        address: '203.0.113.6',
        port: 80,
        forwarding: 'route',
        weight: 0,
        upperThreshold: 0,
        lowerThreshold: 0,
      });
      await ipvs.addDest(s, {
        family: 'inet',
        address: '203.0.113.7',
        port: 80,
        forwarding: 'tunnel',
        weight: 1,
        upperThreshold: 0,
        lowerThreshold: 0,
        tunnel: { type: 'gue', port: 6080, csum: 'csum' },
      });
      expect(saveLinesOf(await ipvsadm.save(), s)).toEqual([
        '-A -t 192.0.2.200:80 -s wrr -p 300 -M 255.255.255.0',
        '-a -t 192.0.2.200:80 -r 203.0.113.5:8080 -m -w 3',
        '-a -t 192.0.2.200:80 -r 203.0.113.6:80 -g -w 0',
        '-a -t 192.0.2.200:80 -r 203.0.113.7:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum',
      ]);
    } finally {
      await ipvs.deleteService(s);
    }
  });

  test('ipvsadm -R restores what -S -n saved, and the client reads the same table before and after', async () => {
    const entries = cases.slice(0, 6).map((c) => {
      const s = serviceOf(c, 0);
      return { service: s, dests: destsOf(c, s, 'ipvsadm') };
    });
    for (const e of entries) {
      await ipvs.addService(e.service);
      for (const d of e.dests) await ipvs.addDest(e.service, d);
    }
    const readAll = async (): Promise<unknown[]> => {
      const out: unknown[] = [];
      for (const e of entries) {
        out.push(serviceConfig(await ipvs.getService(e.service)));
        out.push((await ipvs.listDests(e.service)).map(destConfig).sort((a, b) => a.address.localeCompare(b.address)));
      }
      return out;
    };
    try {
      const before = await readAll();
      const dump = await ipvsadm.save();
      const rules = entries.flatMap((e) => saveLinesOf(dump, e.service));
      expect(rules).toHaveLength(entries.length * 4);
      for (const e of entries) await ipvs.deleteService(e.service);
      await ipvsadm.restore(`${rules.join('\n')}\n`);
      // -S carries no thresholds: compare with them cleared.
      const noThresholds = (before as Array<IpvsService | IpvsDest[]>).map((x) =>
        Array.isArray(x) ? x.map((d) => ({ ...d, upperThreshold: 0, lowerThreshold: 0 })) : x,
      );
      expect(await readAll()).toEqual(noThresholds);
    } finally {
      for (const e of entries) await ipvs.deleteService(e.service).catch(() => undefined);
    }
  });
});
