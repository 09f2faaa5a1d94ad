// One behavioural contract for every IpvsClient: the in-memory table (host) and the netlink client against a
// real kernel (guest) both have to pass it. It creates its own services on addresses nothing else uses
// (127.77.0.0/16, fd00:77::/32, fwmarks 77xxx), removes exactly those afterwards, never flushes, and restores
// the connection timeouts it changes. Plain describe/it/expect only, so it runs the same under any jest config.

import { isIpvsError } from '../../src/ipvs/errors';
import type {
  DestKey,
  IpvsClient,
  IpvsDest,
  IpvsDestEntry,
  IpvsFamily,
  IpvsForwarding,
  IpvsProtocol,
  IpvsService,
  IpvsServiceEntry,
  ServiceKey,
} from '../../src/ipvs/types';

const NO_FLAGS = { persistent: false, onePacket: false, sched1: false, sched2: false, sched3: false } as const;

function keyId(k: ServiceKey): string {
  return 'fwmark' in k ? `${k.family}/fwm/${k.fwmark}` : `${k.family}/${k.protocol}/${k.address}/${k.port}`;
}

function sameKey(a: ServiceKey, b: ServiceKey): boolean {
  return keyId(a) === keyId(b);
}

/** The configuration part of a read-back service (drops stats, which only a kernel fills meaningfully). */
function config(s: IpvsServiceEntry): IpvsService {
  const { stats: _stats, ...rest } = s;
  return rest;
}

function destConfig(
  d: IpvsDestEntry,
): IpvsDest & { activeConns: number; inactiveConns: number; persistentConns: number } {
  const { stats: _stats, ...rest } = d;
  return rest;
}

const byAddress = (a: DestKey, b: DestKey): number => `${a.address}/${a.port}`.localeCompare(`${b.address}/${b.port}`);

async function rejection(p: Promise<unknown>): Promise<{ code: string; errno: number; operation: string }> {
  try {
    await p;
  } catch (e) {
    if (!isIpvsError(e)) throw e;
    return { code: e.code, errno: e.errno, operation: e.operation };
  }
  throw new Error('expected the IPVS call to be rejected, it succeeded');
}

export function describeIpvsConformance(label: string, open: () => Promise<IpvsClient>): void {
  describe(`IPVS conformance: ${label}`, () => {
    let ipvs: IpvsClient;
    const created = new Map<string, ServiceKey>();
    let counter = 0;

    beforeAll(async () => {
      ipvs = await open();
    });

    afterEach(async () => {
      for (const k of created.values()) {
        try {
          await ipvs.deleteService(k);
        } catch (e) {
          if (!isIpvsError(e, 'ESRCH')) throw e;
        }
      }
      created.clear();
    });

    afterAll(async () => {
      await ipvs.close();
    });

    /** A fresh, unused identity for each service a test makes. */
    function nextKey(family: IpvsFamily, protocol: IpvsProtocol | 'fwmark'): ServiceKey {
      counter++;
      if (protocol === 'fwmark') return { family, fwmark: 77000 + counter };
      const address =
        family === 'inet'
          ? `127.77.${Math.floor(counter / 200)}.${(counter % 200) + 1}`
          : `fd00:77::${counter.toString(16)}`;
      return { family, protocol, address, port: 40000 + counter };
    }

    function service(key: ServiceKey, extra: Partial<IpvsService> = {}): IpvsService {
      return {
        ...key,
        scheduler: 'rr',
        flags: NO_FLAGS,
        timeout: 0,
        netmask: key.family === 'inet' ? '255.255.255.255' : 128,
        ...extra,
      } as IpvsService;
    }

    async function add(s: IpvsService): Promise<ServiceKey> {
      await ipvs.addService(s);
      created.set(keyId(s), s);
      return s;
    }

    function dest(family: IpvsFamily, n: number, extra: Partial<IpvsDest> = {}): IpvsDest {
      return {
        family,
        address: family === 'inet' ? `127.77.200.${n}` : `fd00:77:1::${n}`,
        port: 8000 + n,
        forwarding: 'masq',
        weight: 1,
        upperThreshold: 0,
        lowerThreshold: 0,
        ...extra,
      };
    }

    describe('protocol × forwarding × family', () => {
      const protocols: Array<IpvsProtocol | 'fwmark'> = ['tcp', 'udp', 'sctp', 'fwmark'];
      const forwardings: IpvsForwarding[] = ['masq', 'route', 'tunnel'];
      const families: IpvsFamily[] = ['inet', 'inet6'];
      for (const protocol of protocols) {
        for (const forwarding of forwardings) {
          for (const family of families) {
            it(`${protocol} / ${forwarding} / ${family}: add, read back, edit, delete`, async () => {
              const key = await add(service(nextKey(family, protocol), { scheduler: 'wlc' }));
              const got = await ipvs.getService(key);
              expect(config(got)).toEqual(service(key, { scheduler: 'wlc' }));
              expect((await ipvs.listServices()).filter((s) => sameKey(s, key)).map(config)).toEqual([config(got)]);

              const port = (n: number): number => (protocol === 'fwmark' && forwarding !== 'masq' ? 0 : 8000 + n);
              const d1 = dest(family, 1, { forwarding, port: port(1), weight: 3 });
              const d2 = dest(family, 2, {
                forwarding,
                port: port(2),
                weight: 0,
                upperThreshold: 100,
                lowerThreshold: 10,
              });
              await ipvs.addDest(key, d1);
              await ipvs.addDest(key, d2);
              const tunnelDefault =
                forwarding === 'tunnel' ? { tunnel: { type: 'ipip', port: 0, csum: 'nocsum' } } : {};
              const counters = { activeConns: 0, inactiveConns: 0, persistentConns: 0 };
              expect((await ipvs.listDests(key)).map(destConfig).sort(byAddress)).toEqual([
                { ...d1, ...tunnelDefault, ...counters },
                { ...d2, ...tunnelDefault, ...counters },
              ]);

              await ipvs.editDest(key, { ...d1, weight: 7, upperThreshold: 50, lowerThreshold: 5 });
              const after = (await ipvs.listDests(key)).map(destConfig).sort(byAddress);
              expect(after[0]).toEqual({
                ...d1,
                weight: 7,
                upperThreshold: 50,
                lowerThreshold: 5,
                ...tunnelDefault,
                ...counters,
              });

              await ipvs.deleteDest(key, { family, address: d2.address, port: d2.port });
              expect((await ipvs.listDests(key)).map((d) => d.address)).toEqual([d1.address]);

              await ipvs.deleteService(key);
              expect(await rejection(ipvs.getService(key))).toMatchObject({ code: 'ESRCH', operation: 'get-service' });
            });
          }
        }
      }
    });

    describe('schedulers', () => {
      for (const scheduler of [
        'rr',
        'wrr',
        'lc',
        'wlc',
        'lblc',
        'lblcr',
        'dh',
        'sh',
        'mh',
        'sed',
        'nq',
        'fo',
        'ovf',
        'none',
      ]) {
        it(`accepts ${scheduler} and reads it back`, async () => {
          const key = await add(service(nextKey('inet', 'tcp'), { scheduler }));
          expect((await ipvs.getService(key)).scheduler).toBe(scheduler);
        });
      }

      it('rejects an unknown scheduler with ENOENT and creates nothing', async () => {
        const key = nextKey('inet', 'tcp');
        expect(await rejection(ipvs.addService(service(key, { scheduler: 'nope' })))).toMatchObject({
          code: 'ENOENT',
          operation: 'add-service',
        });
        expect(await rejection(ipvs.getService(key))).toMatchObject({ code: 'ESRCH' });
      });

      it('rejects an unknown persistence engine with ENOENT, accepts sip', async () => {
        const key = nextKey('inet', 'udp');
        expect(await rejection(ipvs.addService(service(key, { peName: 'nope' })))).toMatchObject({ code: 'ENOENT' });
        await add(service(key, { peName: 'sip', flags: { ...NO_FLAGS, persistent: true }, timeout: 60 }));
        expect(config(await ipvs.getService(key))).toEqual(
          service(key, { peName: 'sip', flags: { ...NO_FLAGS, persistent: true }, timeout: 60 }),
        );
      });
    });

    describe('service attributes and edit semantics', () => {
      it('keeps persistence, one-packet and scheduler flags, timeout and netmask (v4)', async () => {
        const s = service(nextKey('inet', 'udp'), {
          scheduler: 'sh',
          flags: { persistent: true, onePacket: true, sched1: true, sched2: true, sched3: false },
          timeout: 300,
          netmask: '255.255.255.0',
        });
        await add(s);
        expect(config(await ipvs.getService(s))).toEqual(s);
      });

      it('keeps an IPv6 persistence prefix', async () => {
        const s = service(nextKey('inet6', 'tcp'), {
          flags: { ...NO_FLAGS, persistent: true },
          timeout: 120,
          netmask: 64,
        });
        await add(s);
        expect(config(await ipvs.getService(s))).toEqual(s);
      });

      it('edit replaces scheduler, flags, timeout, netmask and drops an unnamed persistence engine', async () => {
        const key = nextKey('inet', 'udp');
        await add(
          service(key, { scheduler: 'rr', peName: 'sip', flags: { ...NO_FLAGS, persistent: true }, timeout: 60 }),
        );
        const edited = service(key, {
          scheduler: 'wrr',
          flags: { ...NO_FLAGS, sched2: true },
          timeout: 0,
          netmask: '255.255.0.0',
        });
        await ipvs.editService(edited);
        expect(config(await ipvs.getService(key))).toEqual(edited);
      });

      it('edit keeps the destinations and their counters', async () => {
        const key = await add(service(nextKey('inet', 'tcp')));
        await ipvs.addDest(key, dest('inet', 1));
        await ipvs.editService(service(key, { scheduler: 'lc' }));
        expect((await ipvs.listDests(key)).map((d) => d.address)).toEqual(['127.77.200.1']);
      });

      it('edit of a dest changes forwarding in place', async () => {
        const key = await add(service(nextKey('inet', 'tcp')));
        const d = dest('inet', 1);
        await ipvs.addDest(key, d);
        await ipvs.editDest(key, { ...d, forwarding: 'route' });
        expect((await ipvs.listDests(key)).map(destConfig)).toEqual([
          { ...d, forwarding: 'route', activeConns: 0, inactiveConns: 0, persistentConns: 0 },
        ]);
      });

      it('reads back addresses in canonical form', async () => {
        const key = await add(
          service({ family: 'inet6', protocol: 'tcp', address: 'FD00:0077:0000::00ff', port: 40999 }),
        );
        const got = await ipvs.getService(key);
        expect(got).toMatchObject({ address: 'fd00:77::ff', port: 40999 });
      });

      it('tunnel destinations keep their encapsulation (GUE port, GRE, checksum flags)', async () => {
        const key = await add(service(nextKey('inet', 'udp')));
        const gue = dest('inet', 1, { forwarding: 'tunnel', tunnel: { type: 'gue', port: 6080, csum: 'csum' } });
        const gre = dest('inet', 2, { forwarding: 'tunnel', tunnel: { type: 'gre', port: 0, csum: 'remcsum' } });
        await ipvs.addDest(key, gue);
        await ipvs.addDest(key, gre);
        const counters = { activeConns: 0, inactiveConns: 0, persistentConns: 0 };
        expect((await ipvs.listDests(key)).map(destConfig).sort(byAddress)).toEqual([
          { ...gue, ...counters },
          { ...gre, ...counters },
        ]);
      });

      it('a mixed-family destination is allowed with tunnel forwarding', async () => {
        const key = await add(service(nextKey('inet', 'tcp')));
        const v6 = dest('inet6', 9, { forwarding: 'tunnel' });
        await ipvs.addDest(key, v6);
        expect((await ipvs.listDests(key)).map((d) => [d.family, d.address])).toEqual([['inet6', 'fd00:77:1::9']]);
        await ipvs.deleteDest(key, v6);
        expect(await ipvs.listDests(key)).toEqual([]);
      });

      it('zero works on one service and on all', async () => {
        const key = await add(service(nextKey('inet', 'tcp')));
        await ipvs.zero(key);
        await ipvs.zero();
        expect((await ipvs.getService(key)).stats?.conns ?? 0n).toBe(0n);
      });
    });

    describe('errors', () => {
      it('EEXIST for a duplicate service and a duplicate destination', async () => {
        const key = await add(service(nextKey('inet', 'tcp')));
        expect(await rejection(ipvs.addService(service(key)))).toMatchObject({
          code: 'EEXIST',
          errno: 17,
          operation: 'add-service',
        });
        await ipvs.addDest(key, dest('inet', 1));
        expect(await rejection(ipvs.addDest(key, dest('inet', 1, { weight: 5 })))).toMatchObject({
          code: 'EEXIST',
          operation: 'add-dest',
        });
      });

      it('ESRCH for every operation on a missing service', async () => {
        const key = nextKey('inet', 'tcp');
        const d = dest('inet', 1);
        expect(await rejection(ipvs.getService(key))).toMatchObject({ code: 'ESRCH', errno: 3 });
        expect(await rejection(ipvs.editService(service(key)))).toMatchObject({
          code: 'ESRCH',
          operation: 'edit-service',
        });
        expect(await rejection(ipvs.deleteService(key))).toMatchObject({ code: 'ESRCH', operation: 'delete-service' });
        expect(await rejection(ipvs.addDest(key, d))).toMatchObject({ code: 'ESRCH', operation: 'add-dest' });
        expect(await rejection(ipvs.editDest(key, d))).toMatchObject({ code: 'ESRCH', operation: 'edit-dest' });
        expect(await rejection(ipvs.deleteDest(key, d))).toMatchObject({ code: 'ESRCH', operation: 'delete-dest' });
        expect(await rejection(ipvs.listDests(key))).toMatchObject({ code: 'ESRCH', operation: 'list-dests' });
        expect(await rejection(ipvs.zero(key))).toMatchObject({ code: 'ESRCH', operation: 'zero' });
        const fwm = nextKey('inet6', 'fwmark');
        expect(await rejection(ipvs.getService(fwm))).toMatchObject({ code: 'ESRCH' });
      });

      it('ENOENT for editing or deleting a missing destination', async () => {
        const key = await add(service(nextKey('inet', 'tcp')));
        expect(await rejection(ipvs.editDest(key, dest('inet', 1)))).toMatchObject({
          code: 'ENOENT',
          errno: 2,
          operation: 'edit-dest',
        });
        expect(await rejection(ipvs.deleteDest(key, dest('inet', 1)))).toMatchObject({
          code: 'ENOENT',
          operation: 'delete-dest',
        });
        await ipvs.addDest(key, dest('inet', 1));
        // Same address, other port: still a different destination.
        expect(await rejection(ipvs.deleteDest(key, { ...dest('inet', 1), port: 1 }))).toMatchObject({
          code: 'ENOENT',
        });
      });

      it('EINVAL for an IPv6 prefix outside 1..128, on add and on edit', async () => {
        for (const netmask of [0, 129]) {
          const key = nextKey('inet6', 'tcp');
          expect(await rejection(ipvs.addService(service(key, { netmask })))).toMatchObject({
            code: 'EINVAL',
            errno: 22,
          });
          expect(await rejection(ipvs.getService(key))).toMatchObject({ code: 'ESRCH' });
        }
        const key = await add(service(nextKey('inet6', 'udp')));
        expect(await rejection(ipvs.editService(service(key, { netmask: 200 })))).toMatchObject({
          code: 'EINVAL',
          operation: 'edit-service',
        });
        expect((await ipvs.getService(key)).netmask).toBe(128);
      });

      it('EINVAL for GUE without a port', async () => {
        const key = await add(service(nextKey('inet', 'udp')));
        const d = dest('inet', 1, { forwarding: 'tunnel', tunnel: { type: 'gue', port: 0, csum: 'nocsum' } });
        expect(await rejection(ipvs.addDest(key, d))).toMatchObject({ code: 'EINVAL', operation: 'add-dest' });
        await ipvs.addDest(key, dest('inet', 1, { forwarding: 'tunnel' }));
        expect(await rejection(ipvs.editDest(key, d))).toMatchObject({ code: 'EINVAL', operation: 'edit-dest' });
      });

      it('EINVAL for a destination that is not unicast', async () => {
        const key = await add(service(nextKey('inet', 'tcp')));
        for (const address of ['224.0.0.1', '255.255.255.255', '0.0.0.0']) {
          expect(await rejection(ipvs.addDest(key, { ...dest('inet', 1), address }))).toMatchObject({ code: 'EINVAL' });
        }
        const key6 = await add(service(nextKey('inet6', 'tcp')));
        for (const address of ['ff02::1', '::']) {
          expect(await rejection(ipvs.addDest(key6, { ...dest('inet6', 1), address }))).toMatchObject({
            code: 'EINVAL',
          });
        }
        expect(await ipvs.listDests(key)).toEqual([]);
      });

      it('EINVAL for a mixed-family destination without tunnel forwarding', async () => {
        const key = await add(service(nextKey('inet', 'tcp')));
        for (const forwarding of ['masq', 'route'] as const) {
          expect(await rejection(ipvs.addDest(key, dest('inet6', 1, { forwarding })))).toMatchObject({
            code: 'EINVAL',
            operation: 'add-dest',
          });
        }
      });

      it('ERANGE for a negative weight and for lower threshold above upper', async () => {
        const key = await add(service(nextKey('inet', 'tcp')));
        expect(await rejection(ipvs.addDest(key, dest('inet', 1, { weight: -1 })))).toMatchObject({
          code: 'ERANGE',
          errno: 34,
        });
        expect(
          await rejection(ipvs.addDest(key, dest('inet', 1, { upperThreshold: 5, lowerThreshold: 6 }))),
        ).toMatchObject({ code: 'ERANGE' });
        expect(
          await rejection(ipvs.addDest(key, dest('inet', 1, { upperThreshold: 0, lowerThreshold: 1 }))),
        ).toMatchObject({ code: 'ERANGE' });
        await ipvs.addDest(key, dest('inet', 1));
        expect(await rejection(ipvs.editDest(key, dest('inet', 1, { weight: -5 })))).toMatchObject({
          code: 'ERANGE',
          operation: 'edit-dest',
        });
        expect((await ipvs.listDests(key)).map((d) => d.weight)).toEqual([1]);
      });

      it('checks in the kernel order: a missing service wins over a bad destination', async () => {
        const key = nextKey('inet', 'tcp');
        expect(await rejection(ipvs.addDest(key, dest('inet', 1, { weight: -1 })))).toMatchObject({ code: 'ESRCH' });
        const real = await add(service(nextKey('inet', 'tcp')));
        await ipvs.addDest(real, dest('inet', 1));
        // ERANGE is checked before the duplicate lookup.
        expect(await rejection(ipvs.addDest(real, dest('inet', 1, { weight: -1 })))).toMatchObject({ code: 'ERANGE' });
        // EEXIST is checked before the scheduler lookup.
        expect(await rejection(ipvs.addService(service(real, { scheduler: 'nope' })))).toMatchObject({
          code: 'EEXIST',
        });
      });

      it('IPVS_BAD_REQUEST for values that cannot be encoded, naming the field', async () => {
        const key = nextKey('inet', 'tcp');
        const e1 = await rejection(ipvs.addService(service({ ...key, address: '300.1.1.1' } as ServiceKey)));
        expect(e1).toMatchObject({ code: 'IPVS_BAD_REQUEST', operation: 'add-service' });
        const real = await add(service(key));
        expect(await rejection(ipvs.addDest(real, dest('inet', 1, { port: 70000 })))).toMatchObject({
          code: 'IPVS_BAD_REQUEST',
        });
        expect(await rejection(ipvs.addDest(real, dest('inet', 1, { weight: 1.5 })))).toMatchObject({
          code: 'IPVS_BAD_REQUEST',
        });
      });
    });

    describe('info, timeouts, sync daemon', () => {
      it('reports the IPVS version and connection table size', async () => {
        const info = await ipvs.info();
        expect(info.version).toBe(0x010201);
        expect(info.connTableSize).toBeGreaterThan(0);
      });

      it('sets and reads connection timeouts; 0 leaves a value unchanged', async () => {
        const before = await ipvs.getTimeouts();
        try {
          await ipvs.setTimeouts({ tcp: 1000, tcpFin: 0, udp: 200 });
          expect(await ipvs.getTimeouts()).toEqual({ tcp: 1000, tcpFin: before.tcpFin, udp: 200 });
        } finally {
          await ipvs.setTimeouts(before);
        }
        expect(await ipvs.getTimeouts()).toEqual(before);
      });

      it('starts, lists and stops a backup sync daemon; EEXIST twice, ESRCH when absent', async () => {
        const running = await ipvs.listSyncDaemons();
        expect(running.filter((d) => d.state === 'backup')).toEqual([]);
        await ipvs.startSyncDaemon({ state: 'backup', mcastInterface: 'lo', syncId: 77 });
        try {
          const listed = (await ipvs.listSyncDaemons()).filter((d) => d.state === 'backup');
          expect(listed).toHaveLength(1);
          expect(listed[0]).toMatchObject({
            state: 'backup',
            mcastInterface: 'lo',
            syncId: 77,
            mcastPort: 8848,
            mcastTtl: 1,
          });
          expect(
            await rejection(ipvs.startSyncDaemon({ state: 'backup', mcastInterface: 'lo', syncId: 78 })),
          ).toMatchObject({ code: 'EEXIST' });
        } finally {
          await ipvs.stopSyncDaemon('backup');
        }
        expect(await rejection(ipvs.stopSyncDaemon('backup'))).toMatchObject({
          code: 'ESRCH',
          operation: 'stop-daemon',
        });
      });

      it('refuses a sync daemon on a missing interface with ENODEV and keeps none running', async () => {
        expect(
          await rejection(ipvs.startSyncDaemon({ state: 'master', mcastInterface: 'nosuchif0', syncId: 5 })),
        ).toMatchObject({ code: 'ENODEV', operation: 'start-daemon' });
        expect((await ipvs.listSyncDaemons()).filter((d) => d.state === 'master')).toEqual([]);
      });

      it('refuses a sync group that is not multicast with EINVAL', async () => {
        expect(
          await rejection(
            ipvs.startSyncDaemon({ state: 'backup', mcastInterface: 'lo', syncId: 5, mcastGroup: '10.1.2.3' }),
          ),
        ).toMatchObject({ code: 'EINVAL', operation: 'start-daemon' });
        expect((await ipvs.listSyncDaemons()).filter((d) => d.state === 'backup')).toEqual([]);
      });

      it('runs a master and a backup at once, each listed with its own settings', async () => {
        await ipvs.startSyncDaemon({ state: 'master', mcastInterface: 'lo', syncId: 9, mcastPort: 8850, mcastTtl: 2 });
        try {
          await ipvs.startSyncDaemon({ state: 'backup', mcastInterface: 'lo', syncId: 9, mcastPort: 8850 });
          try {
            const listed = await ipvs.listSyncDaemons();
            expect(listed.map((d) => [d.state, d.mcastInterface, d.syncId, d.mcastPort, d.mcastGroup])).toEqual([
              ['master', 'lo', 9, 8850, '224.0.0.81'],
              ['backup', 'lo', 9, 8850, '224.0.0.81'],
            ]);
            expect(listed[0]?.mcastTtl).toBe(2);
          } finally {
            await ipvs.stopSyncDaemon('backup');
          }
        } finally {
          await ipvs.stopSyncDaemon('master');
        }
      });

      it('refuses a mixed-family destination while a sync daemon runs', async () => {
        const key = await add(service(nextKey('inet', 'tcp')));
        await ipvs.startSyncDaemon({ state: 'backup', mcastInterface: 'lo', syncId: 79 });
        try {
          expect(await rejection(ipvs.addDest(key, dest('inet6', 1, { forwarding: 'tunnel' })))).toMatchObject({
            code: 'EINVAL',
          });
        } finally {
          await ipvs.stopSyncDaemon('backup');
        }
      });
    });
  });
}
