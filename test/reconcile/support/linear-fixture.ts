// One wrr service and its i-th masq dest, the table the linear-growth tests (test/reconcile/linear.test.ts,
// test/ipvs/memory-linear.test.ts) fill with hundreds of dests.
import type { IpvsDest, IpvsService } from '../../../src/ipvs/types';

/** The i-th dest's address: 10.64.0.1, 10.64.0.2, … (256 per third octet). */
export const destAddress = (i: number): string => `10.64.${(i + 1) >> 8}.${(i + 1) & 255}`;

export const service: IpvsService = {
  family: 'inet',
  protocol: 'tcp',
  address: '10.0.0.1',
  port: 80,
  scheduler: 'wrr',
  flags: { persistent: false, onePacket: false, sched1: false, sched2: false, sched3: false },
  timeout: 0,
  netmask: '255.255.255.255',
};

export const dest = (i: number, weight = 1): IpvsDest => ({
  family: 'inet',
  address: destAddress(i),
  port: 8080,
  forwarding: 'masq',
  weight,
  upperThreshold: 0,
  lowerThreshold: 0,
});
