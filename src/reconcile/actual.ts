// Reads the kernel's entries for the services this config owns. Services of other owners are never read
// beyond the service list. A few keys (a transition pass over the affected virtuals) are fetched one by one
// (GET_SERVICE; ESRCH/ENOENT = absent); more than that, one service dump is cheaper. The requests of a read
// are made together and the table is built in the kernel's order.

import { isIpvsError } from '../ipvs/errors';
import type { IpvsClient, IpvsServiceEntry, ServiceKey } from '../ipvs/types';
import type { ActualService, ActualTable } from './desired';
import { serviceId, serviceKeyOf } from './keys';

/** At most this many owned keys are fetched one by one instead of dumping every service. */
export const SINGLE_GET_LIMIT = 8;

export async function readActual(client: IpvsClient, owned: readonly ServiceKey[]): Promise<ActualTable> {
  const wanted = new Map(owned.map((k) => [serviceId(k), k]));
  const services =
    wanted.size <= SINGLE_GET_LIMIT ? await getEach(client, [...wanted.values()]) : await client.listServices();
  const mine = new Map<string, IpvsServiceEntry>();
  for (const service of services) {
    const id = serviceId(service);
    if (wanted.has(id) && !mine.has(id)) mine.set(id, service);
  }
  // Asked together: the client spreads them over its sockets (src/ipvs/transport/requester-pool.ts), so a
  // busy event loop costs the read a turn or two, not a turn per service.
  const dests = await Promise.all([...mine.values()].map((s) => client.listDests(serviceKeyOf(s))));
  const table = new Map<string, ActualService>();
  let i = 0;
  for (const [id, service] of mine) table.set(id, { service, dests: dests[i++] ?? [] });
  return table;
}

async function getEach(client: IpvsClient, keys: readonly ServiceKey[]): Promise<IpvsServiceEntry[]> {
  const got = await Promise.all(
    keys.map((k) =>
      client.getService(serviceKeyOf(k)).catch((e: unknown) => {
        if (isIpvsError(e, 'ESRCH') || isIpvsError(e, 'ENOENT')) return undefined;
        throw e;
      }),
    ),
  );
  return got.filter((s): s is IpvsServiceEntry => s !== undefined);
}
