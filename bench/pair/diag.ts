// Diagnostics for a takeover (PAIR_DIAG=1 in bench/pair/driver.ts): for 40 s after the event's mark, every
// 2 s, the client's neighbour entries, the taker's IPVS entries towards port 80 by state and its packet
// counters, and each real server's TCP counters; at +12 s, the taker's entries for the client ports whose
// requests failed after the VIP moved. Evidence for docs/decisions/010-takeover.md, not a test.
import { readFile } from 'node:fs/promises';

import { CLIENT, HTTP_PORT, REALS, clientNs, realNs, type DirectorId } from '../../test/support/pair/plan';
import { runInNs } from '../../test/support/pair/ns-process';
import { clientRecord } from '../../test/support/pair/scenario';
import type { Bed } from '../../test/support/pair/topology';

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
const clientHex = CLIENT.split('.')
  .map((b) => Number(b).toString(16).toUpperCase().padStart(2, '0'))
  .join('');

function statesTowards(conn: string, port: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of conn.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'TCP' && f[4] === hex4(port)) out[f[7] ?? '?'] = (out[f[7] ?? '?'] ?? 0) + 1;
  }
  return out;
}

export async function sampleTakeover(
  bed: Bed,
  taker: DirectorId,
  mark: number,
  log: (l: string) => void,
): Promise<void> {
  const shellLine =
    `for n in pd1 pd2; do [ -e /run/netns/$n ] && echo "$n $(ip -n $n -o link show eth0)"; done; ` +
    `ip -n ${clientNs} neigh show; ` +
    REALS.map((i) => `echo rs${i} $(ip netns exec ${realNs(i)} awk '/^Tcp:/' /proc/net/snmp | tail -n 1)`).join('; ') +
    // The counters that tell a refused SYN from a lost one: TIME_WAIT reuse and challenges, listen drops.
    `; for n in ${clientNs} ${REALS.map(realNs).join(' ')}; do echo "$n $(ip netns exec $n nstat -az 2>/dev/null | ` +
    `awk '$2 != 0 && /TW|PAWS|Challenge|Listen|SynRecv|OutRsts|EstabResets|AttemptFails|ActiveOpens|PassiveOpens|RetransSegs|TCPTimeouts|TCPAbortOnClose/ {printf "%s=%s ", $1, $2}')"; done`;
  for (let k = 0; k <= 20; k++) {
    const at = mark + k * 2000;
    await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
    const rel = `+${((Date.now() - mark) / 1000).toFixed(1)} s`;
    try {
      const pid = bed.anchor(taker)?.pid;
      const conn = pid === undefined ? '' : await readFile(`/proc/${pid}/net/ip_vs_conn`, 'latin1');
      const stats = pid === undefined ? '' : await readFile(`/proc/${pid}/net/ip_vs_stats`, 'latin1');
      const shell = await runInNs(undefined, ['sh', '-c', shellLine]);
      log(
        `${rel} taker d${taker} :80 entries ${JSON.stringify(statesTowards(conn, HTTP_PORT))} stats ${stats.split('\n')[2]?.trim() ?? ''}`,
      );
      const synRecv = conn.split('\n').filter((l) => l.includes(' SYN_RECV '));
      if (synRecv.length > 0) log(`${rel}   SYN_RECV entries: ${synRecv.slice(0, 6).join(' | ')}`);
      for (const l of shell.trim().split('\n')) log(`${rel}   ${l}`);
      if (k === 6 && pid !== undefined) {
        const rec = await clientRecord(bed);
        const failed = rec.requests.filter((r) => r[0] > mark + 4000 && r[2] === 0);
        log(`${rel} failed requests since +4 s: ${failed.length}, ports ${failed.map((r) => r[4] ?? 0).join(' ')}`);
        const lines = conn.split('\n');
        for (const r of failed.slice(0, 12)) {
          const p = hex4(r[4] ?? 0);
          const hits = lines.filter((l) => l.includes(`${clientHex} ${p} `));
          log(`${rel}   port ${r[4] ?? 0} (${r[3]}): ${hits.length === 0 ? 'no entry' : hits.join(' | ')}`);
        }
        const ok = rec.requests.filter((r) => r[0] > mark + 4000 && r[2] === 1).slice(0, 3);
        for (const r of ok) {
          const p = hex4(r[4] ?? 0);
          const hits = lines.filter((l) => l.includes(`${clientHex} ${p} `));
          log(`${rel}   ok port ${r[4] ?? 0}: ${hits.length === 0 ? 'no entry' : hits.join(' | ')}`);
        }
      }
    } catch (e) {
      log(`${rel} sample failed: ${(e as Error).message.split('\n')[0] ?? ''}`);
    }
  }
}
