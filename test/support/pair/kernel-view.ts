// A director's IPVS state read the way every other process would see it, without a fork: the files under
// /proc/<pid>/net/ of any process inside the director's namespace are that namespace's (a namespace anchor
// process is kept for exactly this).
import { readFile } from 'node:fs/promises';

import { parseProcIpVs, type Table } from '../../../bench/compare/table';
import { expectedServices } from './configs';

export async function readTableOf(pid: number): Promise<Table> {
  return parseProcIpVs(await readFile(`/proc/${pid}/net/ip_vs`, 'latin1'));
}

/** True when every expected service lists every real server with a weight above 0. */
export function tableComplete(table: Table): boolean {
  return expectedServices().every(({ service, reals }) => {
    const s = table.get(`TCP ${service}`);
    return s !== undefined && reals.every((r) => (s.dests.get(r) ?? 0) > 0);
  });
}

/** Established IPVS connection entries towards `port` in /proc/net/ip_vs_conn text (synced ones included). */
export function countEstablished(text: string, port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let n = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires [PEName PEData]
    if (f[0] === 'TCP' && f[4] === hexPort && f[7] === 'ESTABLISHED') n++;
  }
  return n;
}

export async function establishedOf(pid: number, port: number): Promise<number> {
  return countEstablished(await readFile(`/proc/${pid}/net/ip_vs_conn`, 'latin1'), port);
}

/** Whether `address` is configured in the namespace (/proc/<pid>/net/fib_trie lists local addresses as /32 host LOCAL). */
export async function holdsAddress(pid: number, address: string): Promise<boolean> {
  const trie = await readFile(`/proc/${pid}/net/fib_trie`, 'latin1');
  return new RegExp(`\\|-- ${address.replace(/\./g, '\\.')}\\n\\s+/32 host LOCAL`).test(trie);
}
