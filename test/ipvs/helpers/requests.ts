// Netlink requests for the request layer's tests (requester.test.ts, requester-pool.test.ts): a doit and a dump
// of the IPVS family's shape, their payloads only markers the fake peer echoes back.
import type { NetlinkRequest } from '../../../src/ipvs/transport/requester';

export const doit = (n = 0): NetlinkRequest => ({
  type: 28,
  payload: Buffer.from([5, 1, 0, 0, n & 0xff]),
  dump: false,
  operation: 'add-dest',
});

export const dump = (): NetlinkRequest => ({
  type: 28,
  payload: Buffer.from([8, 1, 0, 0]),
  dump: true,
  operation: 'list-dests',
});
