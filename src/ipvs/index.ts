// The IPVS module's public face. Everything above src/ipvs uses these names only.

export { openIpvs } from './open';
export { createMemoryIpvs } from './memory/table';
export type { IpvsOpRecord } from './memory/oplog';
export * from './types';
export * from './errors';
