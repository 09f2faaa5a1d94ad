// keepalived as the whole product on both directors, the peer to compare against: its VRRP moves the VIP,
// its own checker keeps each director's IPVS table (hot standby: the checker runs whatever the VRRP state),
// and its `lvs_sync_daemon` runs the kernel's sync daemon, as master while the instance is MASTER and as
// backup while it is BACKUP (keepalived's own rule: one role at a time, following VRRP). No ldirectord-ts.
// One keepalived process per node, both subsystems, as its Debian unit starts it.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { keepalivedArgv, kernelSetup, SYNC_ID } from './keepalived-pair';
import { keepalivedCheckerConfig } from './keepalived-checker-config';
import type { DirectorId, Forwarding } from './plan';
import type { Bed } from './topology';

export interface CheckerNodeOptions {
  readonly forwarding: Forwarding;
  readonly sync: boolean;
  readonly advertInt: number;
  readonly preemptDelay: number;
  /** Where this run's files go. */
  readonly dir: string;
}

export async function startCheckerNode(bed: Bed, d: DirectorId, o: CheckerNodeOptions): Promise<void> {
  const dir = path.join(o.dir, `d${d}`);
  mkdirSync(dir, { recursive: true });
  await bed.shell(d, kernelSetup());
  const kcf = path.join(dir, 'keepalived.conf');
  writeFileSync(
    kcf,
    keepalivedCheckerConfig(d, {
      forwarding: o.forwarding,
      advertInt: o.advertInt,
      preemptDelay: o.preemptDelay,
      ...(o.sync ? { syncid: SYNC_ID } : {}),
    }),
  );
  bed.onDirector(d, 'keepalived', keepalivedArgv(dir, kcf));
}
