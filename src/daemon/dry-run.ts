// --dry-run: the director runs against the in-memory IPVS table (the caller passes createMemoryIpvs()) and
// every mutating operation is reported as a 'dry-run' event, so the log shows exactly what would be done.

import type { IpvsClient } from '../ipvs/types';
import { destLabel, serviceLabel } from '../reconcile/keys';

export function withOperationLog(client: IpvsClient, report: (operation: string) => void): IpvsClient {
  return {
    ...bindAll(client),
    addService: (s) => (report(`add service ${serviceLabel(s)} scheduler ${s.scheduler}`), client.addService(s)),
    editService: (s) => (report(`edit service ${serviceLabel(s)} scheduler ${s.scheduler}`), client.editService(s)),
    deleteService: (k) => (report(`delete service ${serviceLabel(k)}`), client.deleteService(k)),
    addDest: (k, d) => (
      report(`add dest ${destLabel(d)} to ${serviceLabel(k)} ${d.forwarding} weight ${d.weight}`),
      client.addDest(k, d)
    ),
    editDest: (k, d) => (
      report(`edit dest ${destLabel(d)} in ${serviceLabel(k)} ${d.forwarding} weight ${d.weight}`),
      client.editDest(k, d)
    ),
    deleteDest: (k, d) => (report(`delete dest ${destLabel(d)} from ${serviceLabel(k)}`), client.deleteDest(k, d)),
    flush: () => (report('flush'), client.flush()),
  };
}

function bindAll(c: IpvsClient): IpvsClient {
  return {
    listServices: () => c.listServices(),
    getService: (k) => c.getService(k),
    addService: (s) => c.addService(s),
    editService: (s) => c.editService(s),
    deleteService: (k) => c.deleteService(k),
    listDests: (k) => c.listDests(k),
    addDest: (k, d) => c.addDest(k, d),
    editDest: (k, d) => c.editDest(k, d),
    deleteDest: (k, d) => c.deleteDest(k, d),
    zero: (k) => c.zero(k),
    info: () => c.info(),
    getTimeouts: () => c.getTimeouts(),
    setTimeouts: (t) => c.setTimeouts(t),
    startSyncDaemon: (d) => c.startSyncDaemon(d),
    stopSyncDaemon: (s) => c.stopSyncDaemon(s),
    listSyncDaemons: () => c.listSyncDaemons(),
    flush: () => c.flush(),
    close: () => c.close(),
  };
}
