// Packets really flow through what our client programs: a NAT (masq) virtual service in front of two real
// HTTP servers in their own network namespaces, a client namespace sending requests to the VIP, and the split
// of connections across the real servers exactly as the scheduler and weights say. IPv4 and IPv6.
import { isDeepStrictEqual } from 'node:util';

import { openIpvs } from '../../src/ipvs';
import type { IpvsClient, IpvsDest, IpvsService } from '../../src/ipvs/types';
import { createIpvsadm } from '../support/ipvsadm';
import { until } from '../support/until';
import { buildNatLab, createNetLab, type Family, type NatLab, type NetLab } from '../support/netns';

const VIP_PORT = 80;
const SERVER_PORT = 8080;
/** Polls `read` until it deep-equals `want` (bounded); returns the last value read, for the caller to assert. */
async function settled(what: string, read: () => Promise<unknown>, want: unknown): Promise<unknown> {
  let last: unknown;
  await until(
    what,
    async () => {
      last = await read();
      return isDeepStrictEqual(last, want) ? true : undefined;
    },
    { intervalMs: 200 },
  ).catch(() => undefined); // the caller's toEqual shows the difference
  return last;
}

const NO_FLAGS = { persistent: false, onePacket: false, sched1: false, sched2: false, sched3: false };

describe.each<Family>(['inet', 'inet6'])('NAT through the real kernel (%s)', (family) => {
  let ipvs: IpvsClient;
  let lab: NetLab;
  let nat: NatLab;
  let service: IpvsService;

  const dest = (i: number, weight: number): IpvsDest => ({
    family,
    address: nat.realServers[i]?.host ?? '',
    port: SERVER_PORT,
    forwarding: 'masq',
    weight,
    upperThreshold: 0,
    lowerThreshold: 0,
  });

  beforeAll(async () => {
    ipvs = await openIpvs({ timeoutMs: 30_000 }); // a loaded guest can be slow; slowness is not under test
    lab = createNetLab({ prefix: family === 'inet' ? 'p4' : 'p6' });
    nat = await buildNatLab(lab, { family, servers: 2, serverPort: SERVER_PORT });
    service = {
      family,
      protocol: 'tcp',
      address: nat.vip,
      port: VIP_PORT,
      scheduler: 'wrr',
      flags: NO_FLAGS,
      timeout: 0,
      netmask: family === 'inet' ? '255.255.255.255' : 128,
    };
  });

  afterAll(async () => {
    await ipvs?.deleteService(service).catch(() => undefined);
    await ipvs?.close();
    await lab?.dispose();
  });

  afterEach(async () => {
    await ipvs.deleteService(service).catch(() => undefined);
  });

  test('the real servers answer directly, and nothing answers on the VIP before IPVS knows it', async () => {
    const direct = await lab.httpRequests(
      nat.client,
      `http://${family === 'inet6' ? `[${nat.realServers[0]?.host}]` : nat.realServers[0]?.host}:${SERVER_PORT}/`,
      1,
    );
    expect(Object.fromEntries(direct)).toEqual({ rs1: 1 });
    await expect(lab.httpRequests(nat.client, nat.url(VIP_PORT), 1)).rejects.toMatchObject({
      code: 'NETLAB_REQUEST_FAILED',
    });
  });

  test('wrr with weights 1:3 splits 40 connections exactly 10:30, and the kernel counted them', async () => {
    await ipvs.addService(service);
    await ipvs.addDest(service, dest(0, 1));
    await ipvs.addDest(service, dest(1, 3));
    const counts = await lab.httpRequests(nat.client, nat.url(VIP_PORT), 40);
    expect(Object.fromEntries(counts)).toEqual({ rs1: 10, rs2: 30 });
    // The kernel folds its per-CPU counters into what a dump reports on its rate estimator's tick (every 2 s),
    // so the counters are awaited, not read once.
    const expected = [
      [dest(0, 1).address, 10n],
      [dest(1, 3).address, 30n],
    ];
    const conns = async (): Promise<unknown> =>
      (await ipvs.listDests(service)).map((d) => [d.address, d.stats?.conns]).sort();
    expect(await settled('the connection counts', conns, expected)).toEqual(expected);
  });

  test('rr ignores weights: 40 connections split 20:20 (give or take one), not 10:30', async () => {
    await ipvs.addService({ ...service, scheduler: 'rr' });
    await ipvs.addDest(service, dest(0, 1));
    await ipvs.addDest(service, dest(1, 3));
    const counts = await lab.httpRequests(nat.client, nat.url(VIP_PORT), 40);
    // Exactly 20:20 in every run but one: a CI run (2026-12-02) saw 19:21, which 10 fresh guests running this
    // file did not repeat. What is under test is that the weights are ignored (wrr gives 10:30), so one
    // connection either way is allowed.
    expect((counts.get('rs1') ?? 0) + (counts.get('rs2') ?? 0)).toBe(40);
    expect(Math.abs((counts.get('rs1') ?? 0) - 20)).toBeLessThanOrEqual(1);
  });

  test('weight 0 (quiesced) takes a server out of new connections; editing the weight back brings it in', async () => {
    await ipvs.addService(service);
    await ipvs.addDest(service, dest(0, 1));
    await ipvs.addDest(service, dest(1, 0));
    expect(Object.fromEntries(await lab.httpRequests(nat.client, nat.url(VIP_PORT), 8))).toEqual({ rs1: 8 });
    await ipvs.editDest(service, dest(1, 1));
    expect(Object.fromEntries(await lab.httpRequests(nat.client, nat.url(VIP_PORT), 8))).toEqual({ rs1: 4, rs2: 4 });
  });

  test('a deleted destination gets nothing; ipvsadm sees the same single destination', async () => {
    await ipvs.addService(service);
    await ipvs.addDest(service, dest(0, 1));
    await ipvs.addDest(service, dest(1, 1));
    await ipvs.deleteDest(service, dest(0, 1));
    expect(Object.fromEntries(await lab.httpRequests(nat.client, nat.url(VIP_PORT), 6))).toEqual({ rs2: 6 });
    const listed = (await createIpvsadm().list()).filter(
      (l) => !('fwmark' in l.service) && l.service.address === nat.vip,
    );
    expect(listed.map((l) => l.dests.map((d) => [d.address, d.port, d.forwarding]))).toEqual([
      [[dest(1, 1).address, SERVER_PORT, 'masq']],
    ]);
  });
});
