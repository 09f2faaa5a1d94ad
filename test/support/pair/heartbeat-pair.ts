// heartbeat 3 (v1 style: haresources, `crm no`) moving the VIP between the two directors. Each node runs in
// its director's network namespace plus its own mount, PID and UTS namespaces: heartbeat reads ha.cf,
// authkeys and haresources from the fixed path /etc/ha.d (a per-node copy is bind-mounted there), keeps its
// state in /run and /var/lib/heartbeat (tmpfs per node) and is node1/node2 by `uname -n`. heartbeat
// daemonizes even with -d, so the node's shell stays PID 1 of its PID namespace and runs heartbeat as a
// child (a PID 1 that exits kills the namespace). Two arrangements (docs/decisions/010-takeover.md):
//   hot:     haresources holds only the VIP (and in NAT the real servers' gateway); ldirectord-ts runs on
//            both directors all the time, started before heartbeat (systemd's After=ldirectord.service).
//   classic: heartbeat starts the director on takeover (`ldirectord::ldirectord.cf`, after the VIP: the
//            seeds' order), either the Debian package's Perl ldirectord or ldirectord-ts through
//            scripts/heartbeat/ldirectord; the standby runs no director and so has no sync daemon.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { heartbeatConfig, heartbeatResources, ldirectordConfig, perlConfig, type HeartbeatTimers } from './configs';
import { kernelSetup, SYNC_ID } from './keepalived-pair';
import { readTableOf, tableComplete } from './kernel-view';
import { inOwnNamespaces } from './ns-process';
import type { DirectorId, Forwarding } from './plan';
import { waitFor } from './scenario';
import type { Bed } from './topology';

const repo = path.resolve(__dirname, '../../..');
/** Bound on a director's start (a Node start in a loaded uniprocessor guest took minutes). */
const READY_MS = 240_000;

export type HeartbeatDirector = 'ours-hot' | 'ours-classic' | 'perl-classic';

export interface HeartbeatNodeOptions extends HeartbeatTimers {
  readonly forwarding: Forwarding;
  readonly director: HeartbeatDirector;
  /** ldirectord-ts keeps the sync daemons (hot standby only: a classic standby runs no director). */
  readonly sync: boolean;
  /** Where this story's files go (per node: ha.d copy, logs, the node's shell script, its heartbeat state);
   * fresh for each story. */
  readonly dir: string;
}

/** The node's shell: PID 1 of its namespaces, it mounts the node's view, starts heartbeat and stays. */
function nodeScript(d: DirectorId, nodeDir: string, stateDir: string): string {
  return [
    'set -e',
    `mount --bind ${nodeDir}/ha.d /etc/ha.d`,
    'mount -t tmpfs tmpfs /run',
    'mkdir -p /run/lock /run/heartbeat/rsctmp /run/resource-agents',
    `mkdir -p ${stateDir}`,
    `mount --bind ${stateDir} /var/lib/heartbeat`,
    'mkdir -p /var/lib/heartbeat/ccm /var/lib/heartbeat/cores/root /var/lib/heartbeat/cores/hacluster /var/lib/heartbeat/rsctmp',
    `hostname node${d}`,
    '/usr/libexec/heartbeat/heartbeat -d',
    'echo "heartbeat started"',
    'exec sleep 1000000',
    '',
  ].join('\n');
}

/** ldirectord-ts as heartbeat's `ldirectord` resource: the project's resource script, our program. */
function oursResourceScript(runDir: string): string {
  return [
    '#!/bin/sh',
    `export LDIRECTORD=${path.join(repo, 'bin', 'ldirectord')}`,
    `export PATH=${path.dirname(process.execPath)}:$PATH`,
    `export LDIRECTORD_RUN_DIR=${runDir}`,
    'mkdir -p "$LDIRECTORD_RUN_DIR"',
    `exec ${path.join(repo, 'scripts', 'heartbeat', 'ldirectord')} "$@"`,
    '',
  ].join('\n');
}

/**
 * Starts everything director `d` runs (its namespace must be up). Hot: kernel setup, ldirectord-ts, and
 * heartbeat once the table is complete (a returning node cannot take the VIP back before its table exists).
 * Classic: kernel setup and heartbeat, which starts the director when the node takes the resources.
 */
export async function startHeartbeatNode(bed: Bed, d: DirectorId, o: HeartbeatNodeOptions): Promise<void> {
  const nodeDir = path.join(o.dir, `d${d}`);
  rmSync(nodeDir, { recursive: true, force: true });
  // The node's disk: heartbeat's uuid and host cache survive the node's crash and return, as on a reboot
  // (the caller gives each story a fresh `dir`).
  const stateDir = path.join(o.dir, `state-d${d}`);
  mkdirSync(nodeDir, { recursive: true });
  await bed.shell(d, kernelSetup());
  const haDir = path.join(nodeDir, 'ha.d');
  cpSync('/etc/ha.d', haDir, { recursive: true, dereference: false, verbatimSymlinks: true });
  const hot = o.director === 'ours-hot';
  const logfile = path.join(nodeDir, 'ldirectord.log');
  const ours = ldirectordConfig({ forwarding: o.forwarding, logfile, ...(o.sync && hot ? { syncid: SYNC_ID } : {}) });
  if (hot) {
    const ldcf = path.join(nodeDir, 'ldirectord.cf');
    writeFileSync(ldcf, ours);
    bed.onDirector(d, 'ldirectord-ts', [process.execPath, path.join(repo, 'bin', 'ldirectord'), '-d', ldcf, 'start'], {
      ...process.env,
      LDIRECTORD_RUN_DIR: nodeDir,
    });
    const anchor = bed.anchor(d);
    if (anchor === undefined) throw new Error(`director ${d} is not up`);
    await waitFor(
      `director ${d}'s table to be complete before heartbeat starts`,
      async () => (tableComplete(await readTableOf(anchor.pid)) ? true : undefined),
      READY_MS,
      50,
    );
  } else {
    // heartbeat looks the config up as /etc/ha.d/ldirectord.cf (the node's copy).
    writeFileSync(path.join(haDir, 'ldirectord.cf'), o.director === 'perl-classic' ? perlConfig(ours) : ours);
    if (o.director === 'ours-classic') {
      const script = path.join(haDir, 'resource.d', 'ldirectord');
      rmSync(script, { force: true });
      writeFileSync(script, oursResourceScript('/run/ldirectord-ts'), { mode: 0o755 });
    }
  }
  writeFileSync(path.join(haDir, 'ha.cf'), heartbeatConfig(d, nodeDir, o));
  writeFileSync(path.join(haDir, 'authkeys'), 'auth 1\n1 crc\n', { mode: 0o600 });
  writeFileSync(path.join(haDir, 'haresources'), heartbeatResources(o.forwarding, hot ? 'none' : 'after-vip'));
  const script = path.join(nodeDir, 'node.sh');
  writeFileSync(script, nodeScript(d, nodeDir, stateDir));
  const node = bed.onDirector(d, 'heartbeat', inOwnNamespaces('sh', script));
  await node.line(/^heartbeat started$/, 0, READY_MS);
}

/** The last `n` lines of both nodes' heartbeat logs (and the directors' logs), for a failure's message. */
export function heartbeatLogs(dir: string, n: number): string {
  return ([1, 2] as const)
    .flatMap((d) => ['ha-log', 'ldirectord.log'].map((f) => path.join(dir, `d${d}`, f)))
    .filter((f) => existsSync(f))
    .map((f) => `--- ${f}:\n${readFileSync(f, 'utf8').trimEnd().split('\n').slice(-n).join('\n')}`)
    .join('\n');
}
