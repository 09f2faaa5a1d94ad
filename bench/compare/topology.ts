// The bench network inside the guest: the programs run in the guest's root namespace (where the IPVS table
// is); every real-server address lives on one interface of one namespace, "realnet", reached over a veth
// pair and one route. A "dark" real server has its address removed and a blackhole route put in its place
// inside realnet (with forwarding on), so the director's SYNs are silently dropped: the checker sees a
// timeout, not a refusal.
//
//   root ns: vbench0 10.255.0.1/30 ── route 10.1.0.0/16 via 10.255.0.2
//   realnet: vbench1 10.255.0.2/30, 10.1.x.y/32 × N, one HTTP server on 0.0.0.0:80

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const NS = 'realnet';
export const REAL_PORT = 80;

/** Real server i (0-based) → 10.1.a.b, 250 per /24 so no .0 or .255. */
export function realAddress(i: number): string {
  return `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

/** Virtual service v (0-based) → 10.2.0.(v+1):80. */
export function virtualAddress(v: number): string {
  return `10.2.0.${v + 1}`;
}

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Runs many `ip` commands in one process (ip -batch), optionally inside realnet. */
export function ipBatch(lines: readonly string[], inNs: boolean): void {
  if (lines.length === 0) return;
  const file = path.join(os.tmpdir(), `ip-batch-${process.pid}-${Date.now()}.txt`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  try {
    ip([...(inNs ? ['-n', NS] : []), '-force', '-batch', file]);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

export function createTopology(): void {
  ip(['link', 'set', 'lo', 'up']);
  ip(['netns', 'add', NS]);
  ip(['link', 'add', 'vbench0', 'type', 'veth', 'peer', 'name', 'vbench1']);
  ip(['link', 'set', 'vbench1', 'netns', NS]);
  ip(['addr', 'add', '10.255.0.1/30', 'dev', 'vbench0']);
  ip(['link', 'set', 'vbench0', 'up']);
  ip(['route', 'add', '10.1.0.0/16', 'via', '10.255.0.2']);
  ipBatch(
    ['link set lo up', 'addr add 10.255.0.2/30 dev vbench1', 'link set vbench1 up', 'route add default via 10.255.0.1'],
    true,
  );
  execFileSync('ip', [
    'netns',
    'exec',
    NS,
    'sysctl',
    '-q',
    '-w',
    'net.ipv4.ip_forward=1',
    'net.core.somaxconn=4096',
    'net.ipv4.tcp_max_syn_backlog=8192',
  ]);
  execFileSync('sysctl', ['-q', '-w', 'net.ipv4.ip_local_port_range=10000 65000', 'net.ipv4.tcp_tw_reuse=1']);
}

/** Gives realnet exactly the addresses of real servers 0..n-1 (a fresh scale). */
export function setRealCount(n: number, previous: number): void {
  const lines: string[] = [];
  for (let i = n; i < previous; i++) lines.push(`addr del ${realAddress(i)}/32 dev vbench1`);
  for (let i = previous; i < n; i++) lines.push(`addr add ${realAddress(i)}/32 dev vbench1`);
  ipBatch(lines, true);
}

/** Returns how long the `ip -batch` took (ms): the dark servers go dark one after another within it. */
export function goDark(indices: readonly number[]): number {
  const t0 = Date.now();
  ipBatch(
    indices.flatMap((i) => [`addr del ${realAddress(i)}/32 dev vbench1`, `route add blackhole ${realAddress(i)}/32`]),
    true,
  );
  return Date.now() - t0;
}

export function comeBack(indices: readonly number[]): number {
  const t0 = Date.now();
  ipBatch(
    indices.flatMap((i) => [`route del blackhole ${realAddress(i)}/32`, `addr add ${realAddress(i)}/32 dev vbench1`]),
    true,
  );
  return Date.now() - t0;
}
