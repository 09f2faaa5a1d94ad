// corosync + pacemaker as the cluster manager, hot standby: the cluster holds only the VIP (IPaddr2, with
// the NAT gateway in one group), ldirectord-ts runs on both directors outside it (as under systemd) and keeps
// the sync daemons (syncdaemon=both). Each node is a director namespace plus its own mount, PID and UTS
// namespaces (pacemaker and corosync keep state under fixed paths: /run, /dev/shm, /var/lib/pacemaker,
// /var/lib/corosync get a private tmpfs each). The node's cluster stack starts once its table is complete
// (a unit ordered After=ldirectord.service), so a returning node cannot get the VIP back before its table.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { startOurDirector } from './keepalived-pair';
import { inOwnNamespaces } from './ns-process';
import { cibXml, corosyncConfig, nodeScript, type ClusterTiming } from './pacemaker-config';
import type { DirectorId, Forwarding } from './plan';
import type { Bed } from './topology';

export interface PacemakerNodeOptions extends ClusterTiming {
  readonly forwarding: Forwarding;
  readonly sync: boolean;
  /** Where this run's files go (configs, logs). */
  readonly dir: string;
  /** The address group stays where it runs (resource-stickiness): no failback move. */
  readonly stay?: boolean;
}

export async function startPacemakerNode(bed: Bed, d: DirectorId, o: PacemakerNodeOptions): Promise<void> {
  const dir = await startOurDirector(bed, d, o);
  writeFileSync(path.join(dir, 'corosync.conf'), corosyncConfig(o, path.join(dir, 'corosync.log')));
  writeFileSync(path.join(dir, 'cib.xml'), cibXml(o.forwarding, o.stay === true));
  writeFileSync(path.join(dir, 'node.sh'), nodeScript(d, dir));
  const node = bed.onDirector(d, 'cluster-node', inOwnNamespaces('bash', path.join(dir, 'node.sh')));
  await node.line(/^pacemakerd started$/, 0, 240_000);
}
