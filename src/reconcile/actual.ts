// Reads the kernel's entries for the services this config owns. Services of other owners are never read
// beyond the service list. A few keys (a transition pass over the affected virtuals) are fetched one by one
// (GET_SERVICE; ESRCH/ENOENT = absent); more than that, one service dump is cheaper.

import { isIpvsError } from '../ipvs/errors';
import type { IpvsClient, IpvsServiceEntry, ServiceKey } from '../ipvs/types';
import type { ActualService, ActualTable } from './desired';
import { serviceId, serviceKeyOf } from './keys';

/** At most this many owned keys are fetched one by one instead of dumping every service. */
export const SINGLE_GET_LIMIT = 8;

export async function readActual(client: IpvsClient, owned: readonly ServiceKey[]): Promise<ActualTable> {
  const wanted = new Map(owned.map((k) => [serviceId(k), k]));
  const table = new Map<string, ActualService>();
  const services =
    wanted.size <= SINGLE_GET_LIMIT ? await getEach(client, [...wanted.values()]) : await client.listServices();
  for (const service of services) {
    const id = serviceId(service);
    if (!wanted.has(id) || table.has(id)) continue;
    table.set(id, { service, dests: await client.listDests(serviceKeyOf(service)) });
  }
  return table;
}

async function getEach(client: IpvsClient, keys: readonly ServiceKey[]): Promise<IpvsServiceEntry[]> {
  const out: IpvsServiceEntry[] = [];
  for (const k of keys) {
    try {
      out.push(await client.getService(serviceKeyOf(k)));
    } catch (e) {
      if (!isIpvsError(e, 'ESRCH') && !isIpvsError(e, 'ENOENT')) throw e;
    }
  }
  return out;
}
