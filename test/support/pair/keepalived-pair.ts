// The cheapest arrangement: keepalived VRRP moves only the VIP (and, in NAT, the real servers' gateway);
// ldirectord-ts runs on BOTH directors against their own IPVS tables (hot standby) and keeps the kernel's
// sync daemons running as master AND backup on both (syncdaemon=both in its config), so failover and
// failback both find the connections already on the taker.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { keepalivedConfig, ldirectordConfig, type VrrpOptions } from './configs';
import { readTableOf, tableComplete } from './kernel-view';
import { directorSysctls, type DirectorId } from './plan';
import { waitFor } from './scenario';
import type { Bed } from './topology';

const repo = path.resolve(__dirname, '../../..');
export const SYNC_ID = 7;

/** keepalived in the foreground, logging to the console, on config `kcf`, its pid files in `dir`; `only` picks
 * subsystems (`--vrrp`), none runs them all. */
export const keepalivedArgv = (dir: string, kcf: string, only: readonly string[] = []): string[] => [
  'keepalived',
  '--dont-fork',
  '--log-console',
  '--log-detail',
  ...only,
  '-f',
  kcf,
  '-p',
  path.join(dir, 'keepalived.pid'),
  '-r',
  path.join(dir, 'vrrp.pid'),
  '-c',
  path.join(dir, 'checkers.pid'),
];
/** Bound on a director's start (a Node start in a loaded uniprocessor guest took minutes). */
const READY_MS = 240_000;

export interface NodeOptions extends VrrpOptions {
  /** ldirectord-ts keeps the kernel's connection-sync daemons (master and backup) on eth1. */
  readonly sync: boolean;
  /** Where this run's files go (configs, logs, pid files). */
  readonly dir: string;
}

/** The shell line that prepares a director's kernel: forwarding (the sync daemons are the director's job). */
export function kernelSetup(): string {
  return directorSysctls.map((w) => `echo ${w.value} > /proc/sys/${w.key}`).join(' && ');
}

/**
 * Starts ldirectord-ts on director `d` (its namespace must be up) after the kernel setup, and resolves once
 * its IPVS table is complete: the moment a unit ordered `After=ldirectord.service` would start. Any cluster
 * manager started after it cannot give the node the VIP before its table exists.
 */
export async function startOurDirector(
  bed: Bed,
  d: DirectorId,
  o: Pick<NodeOptions, 'forwarding' | 'sync' | 'dir'>,
): Promise<string> {
  const dir = path.join(o.dir, `d${d}`);
  mkdirSync(dir, { recursive: true });
  await bed.shell(d, kernelSetup());
  const ldcf = path.join(dir, 'ldirectord.cf');
  writeFileSync(
    ldcf,
    ldirectordConfig({
      forwarding: o.forwarding,
      logfile: path.join(dir, 'ldirectord.log'),
      ...(o.sync ? { syncid: SYNC_ID } : {}),
    }),
  );
  bed.onDirector(d, 'ldirectord-ts', [process.execPath, path.join(repo, 'bin', 'ldirectord'), '-d', ldcf, 'start'], {
    ...process.env,
    LDIRECTORD_RUN_DIR: dir,
  });
  const anchor = bed.anchor(d);
  if (anchor === undefined) throw new Error(`director ${d} is not up`);
  await waitFor(
    `director ${d}'s table to be complete before its cluster manager starts`,
    async () => (tableComplete(await readTableOf(anchor.pid)) ? true : undefined),
    READY_MS,
    50,
  );
  return dir;
}

/**
 * Starts everything director `d` runs (its namespace must be up): kernel setup, ldirectord-ts, and keepalived
 * once the director's table is complete (the order a unit `After=ldirectord.service` gives, the director
 * being ready only once its table is programmed): a returning node cannot win the VIP back before its table
 * exists, whatever a Node start costs on the machine, and `preempt_delay` only has to cover the sync.
 */
export async function startNode(bed: Bed, d: DirectorId, o: NodeOptions): Promise<void> {
  const dir = await startOurDirector(bed, d, o);
  const kcf = path.join(dir, 'keepalived.conf');
  writeFileSync(kcf, keepalivedConfig(d, o));
  bed.onDirector(d, 'keepalived', keepalivedArgv(dir, kcf, ['--vrrp']));
}
