// A director snapshot and kernel reading of V virtual services × R real servers, for the cardinality test and
// bench/metrics-scrape.ts. Every real is up at weight 1, in the kernel with some traffic.
import { zeroStats } from '../../../../src/ipvs/codec/stats';
import type { DirectorSnapshot, RealSnapshot } from '../../../../src/reconcile/snapshot';
import type { KernelStats, StatsRow } from '../../../../src/observe/metrics/kernel-stats';

export function syntheticSnapshot(nv: number, nr: number): DirectorSnapshot {
  const virtuals = [];
  for (let i = 0; i < nv; i++) {
    const vid = `tcp:10.0.${i >> 8}.${i & 255}:80`;
    const reals: RealSnapshot[] = [];
    for (let j = 0; j < nr; j++) {
      const label = `10.${1 + (j >> 16)}.${(j >> 8) & 255}.${j & 255}:8080`;
      reals.push({
        targetId: `${vid}|${label}`,
        label,
        health: 'up',
        configuredWeight: 1,
        desiredWeight: 1,
        kernelWeight: 1,
      });
    }
    virtuals.push({ vid, label: vid.slice(4), reals, fallbackActive: false });
  }
  return { file: 'synthetic.cf', state: 'running', virtuals };
}

export function syntheticKernel(s: DirectorSnapshot): KernelStats {
  const rows: StatsRow[] = [];
  for (const v of s.virtuals) {
    rows.push({
      vid: v.vid,
      stats: { ...zeroStats(), conns: 10n, inPackets: 100n, outPackets: 90n, inBytes: 1000n, outBytes: 900n },
    });
    for (const r of v.reals)
      rows.push({
        vid: v.vid,
        real: r.label,
        destId: r.targetId,
        weight: 1,
        stats: { ...zeroStats(), conns: 1n, inPackets: 10n },
      });
  }
  const reading = { rows, errors: 0 };
  return { read: async () => reading, reads: () => 1 };
}
