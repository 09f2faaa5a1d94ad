// The conformance suite against a real kernel through the netlink client, plus what only a real kernel can
// show: a burst of 20,000+ requests through the bounded window, and EPERM for a process without
// CAP_NET_ADMIN. Not a host test (the host kernel has no IPVS): run it inside the guest, as root, with
// test/conformance/run-in-guest.sh.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openIpvs } from '../../src/ipvs';
import type { IpvsDest, IpvsService } from '../../src/ipvs/types';
import { describeIpvsConformance } from './ipvs-conformance';

describeIpvsConformance('netlink client, real kernel', () => openIpvs({ timeoutMs: 10000 }));

describe('real kernel only', () => {
  it('survives a burst of 20,400 requests (100 services × 100 dests, added, listed, edited, removed)', async () => {
    const ipvs = await openIpvs({ timeoutMs: 30000 });
    const F = { persistent: false, onePacket: false, sched1: false, sched2: false, sched3: false };
    const services: IpvsService[] = Array.from({ length: 100 }, (_, i) => ({
      family: 'inet',
      protocol: 'tcp',
      address: `127.78.0.${i + 1}`,
      port: 80,
      scheduler: 'wrr',
      flags: F,
      timeout: 0,
      netmask: '255.255.255.255',
    }));
    const dest = (j: number, weight: number): IpvsDest => ({
      family: 'inet',
      address: `127.79.${Math.floor(j / 250)}.${(j % 250) + 1}`,
      port: 80,
      forwarding: 'route',
      weight,
      upperThreshold: 0,
      lowerThreshold: 0,
    });
    const t0 = process.hrtime.bigint();
    try {
      await Promise.all(services.map((s) => ipvs.addService(s)));
      const t1 = process.hrtime.bigint();
      await Promise.all(services.flatMap((s) => Array.from({ length: 100 }, (_, j) => ipvs.addDest(s, dest(j, 1)))));
      const t2 = process.hrtime.bigint();
      const lists = await Promise.all(services.map((s) => ipvs.listDests(s)));
      const t3 = process.hrtime.bigint();
      await Promise.all(services.flatMap((s) => Array.from({ length: 100 }, (_, j) => ipvs.editDest(s, dest(j, 5)))));
      const t4 = process.hrtime.bigint();
      expect(lists.map((l) => l.length)).toEqual(services.map(() => 100));
      const after = await ipvs.listDests(services[99] as IpvsService);
      expect(after.every((d) => d.weight === 5)).toBe(true);
      const ms = (a: bigint, b: bigint): string => (Number(b - a) / 1e6).toFixed(0);
      console.log(
        `burst (UML guest): 100 NEW_SERVICE ${ms(t0, t1)} ms, 10000 NEW_DEST ${ms(t1, t2)} ms, ` +
          `100 GET_DEST dumps ${ms(t2, t3)} ms, 10000 SET_DEST ${ms(t3, t4)} ms`,
      );
    } finally {
      await Promise.all(services.map((s) => ipvs.deleteService(s).catch(() => undefined)));
    }
    const left = (await ipvs.listServices()).filter((s) => 'address' in s && s.address.startsWith('127.78.'));
    await ipvs.close();
    expect(left).toEqual([]);
  });

  it('a process without CAP_NET_ADMIN gets IPVS_NO_CAP_NET_ADMIN', () => {
    const root = join(__dirname, '../..');
    const out = execFileSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        '--inh-caps=-all',
        '--bounding-set=-all',
        process.execPath,
        join(root, 'node_modules/.bin/tsx'),
        join(root, 'test/conformance/no-cap.probe.ts'),
      ],
      { cwd: root, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', TMPDIR: '/tmp' }, encoding: 'utf8' },
    );
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { code?: string; message?: string };
    expect(result.code).toBe('IPVS_NO_CAP_NET_ADMIN');
    expect(result.message).toMatch(/CAP_NET_ADMIN/);
  });
});
