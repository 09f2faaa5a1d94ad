// The in-memory table's operation log: the exact ordered record of calls and outcomes (what --dry-run shows).

import { createMemoryIpvs, type IpvsOpRecord } from '../../src/ipvs';
import type { IpvsService } from '../../src/ipvs/types';

const SVC: IpvsService = {
  family: 'inet',
  protocol: 'tcp',
  address: '10.0.0.1',
  port: 80,
  scheduler: 'rr',
  flags: { persistent: false, onePacket: false, sched1: false, sched2: false, sched3: false },
  timeout: 0,
  netmask: '255.255.255.255',
};
const KEY = { family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80 } as const;
const DEST = {
  family: 'inet',
  address: '10.0.0.2',
  port: 80,
  forwarding: 'route',
  weight: 1,
  upperThreshold: 0,
  lowerThreshold: 0,
} as const;

describe('in-memory IPVS operation log', () => {
  it('records every call in order with its outcome, and which ones were applied', async () => {
    const seen: IpvsOpRecord[] = [];
    const ipvs = createMemoryIpvs({ onOp: (r) => seen.push(r) });
    await ipvs.addService(SVC);
    await ipvs.addDest(KEY, DEST);
    await expect(ipvs.addDest(KEY, DEST)).rejects.toMatchObject({ code: 'EEXIST' });
    await ipvs.listDests(KEY);
    await ipvs.editDest(KEY, { ...DEST, weight: 0 });
    await ipvs.deleteService(KEY);
    const all = ipvs.log.all().map((r) => [r.seq, r.operation, r.outcome, r.mutating]);
    expect(all).toEqual([
      [1, 'add-service', 'ok', true],
      [2, 'add-dest', 'ok', true],
      [3, 'add-dest', 'EEXIST', true],
      [4, 'list-dests', 'ok', false],
      [5, 'edit-dest', 'ok', true],
      [6, 'delete-service', 'ok', true],
    ]);
    expect(ipvs.log.applied().map((r) => r.operation)).toEqual([
      'add-service',
      'add-dest',
      'edit-dest',
      'delete-service',
    ]);
    expect(ipvs.log.counts()).toEqual({
      'add-service': 1,
      'add-dest': 2,
      'list-dests': 1,
      'edit-dest': 1,
      'delete-service': 1,
    });
    expect(seen.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen[1]).toMatchObject({ service: KEY, dest: DEST });
  });

  it('flush empties the table; close makes every later call fail with IPVS_CLOSED', async () => {
    const ipvs = createMemoryIpvs();
    await ipvs.addService(SVC);
    await ipvs.flush();
    expect(await ipvs.listServices()).toEqual([]);
    await ipvs.close();
    await expect(ipvs.listServices()).rejects.toMatchObject({ code: 'IPVS_CLOSED' });
  });

  it('knows only the schedulers it is told about', async () => {
    const ipvs = createMemoryIpvs({ schedulers: ['rr'] });
    await expect(ipvs.addService({ ...SVC, scheduler: 'wlc' })).rejects.toMatchObject({ code: 'ENOENT' });
    await ipvs.addService({ ...SVC, scheduler: 'none' });
    expect((await ipvs.getService(KEY)).scheduler).toBe('none');
  });

  it('keeps only the newest logLimit records (a long --dry-run does not grow), and counts every call', async () => {
    const ipvs = createMemoryIpvs({ logLimit: 3 });
    for (let i = 0; i < 5; i++) await ipvs.listServices();
    await ipvs.addService(SVC);
    await ipvs.addDest(KEY, DEST);
    expect(ipvs.log.all().map((r) => [r.seq, r.operation])).toEqual([
      [5, 'list-services'],
      [6, 'add-service'],
      [7, 'add-dest'],
    ]);
    expect(ipvs.log.lastSeq()).toBe(7);
    expect(ipvs.log.since(5).map((r) => r.seq)).toEqual([6, 7]);
    expect(ipvs.log.since(0).map((r) => r.seq)).toEqual([5, 6, 7]);
    expect(ipvs.log.since(7)).toEqual([]);
    expect(ipvs.log.counts()).toEqual({ 'list-services': 5, 'add-service': 1, 'add-dest': 1 });
    expect(() => createMemoryIpvs({ logLimit: 0 })).toThrow(RangeError);
  });
});
