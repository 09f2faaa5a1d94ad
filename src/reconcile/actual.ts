// Reads the kernel's entries for the services this config owns: one service dump, then a dest dump per
// owned service that exists. Services of other owners are never read beyond the service list.

import type { IpvsClient, ServiceKey } from '../ipvs/types';
import type { ActualService, ActualTable } from './desired';
import { serviceId, serviceKeyOf } from './keys';

export async function readActual(client: IpvsClient, owned: readonly ServiceKey[]): Promise<ActualTable> {
  const wanted = new Set(owned.map(serviceId));
  const table = new Map<string, ActualService>();
  for (const service of await client.listServices()) {
    const id = serviceId(service);
    if (!wanted.has(id) || table.has(id)) continue;
    table.set(id, { service, dests: await client.listDests(serviceKeyOf(service)) });
  }
  return table;
}
