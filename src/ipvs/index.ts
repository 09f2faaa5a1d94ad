// The IPVS module's public face. Everything above src/ipvs uses these names only.

export { openIpvs, type OpenIpvsOptions } from './open';
export { createMemoryIpvs, type MemoryIpvs, type MemoryIpvsOptions } from './memory/table';
export type { IpvsOpRecord } from './memory/oplog';
export type { RequesterEvent } from './transport/requester';
export * from './types';
export * from './errors';
