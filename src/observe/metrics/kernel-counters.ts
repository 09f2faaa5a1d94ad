// The kernel's IPVS counters (connections, packets, bytes) per virtual service and per real server, as
// Prometheus counters set to the kernel's absolute values when scraped, from a cached kernel read
// (kernel-stats.ts); the per-real ones are left out while the registry is over its real-server cap.

import { Counter, type Registry } from 'prom-client';
import type { KernelStats, StatsRow } from './kernel-stats';
import { METRIC } from './names';

/** Sets a counter to absolute values read from elsewhere (the kernel's). */
function setCounter<T extends string>(
  c: Counter<T>,
  values: ReadonlyArray<readonly [Partial<Record<T, string>>, number]>,
): void {
  c.reset();
  for (const [labels, v] of values) c.inc(labels, v);
}

type Dir = 'in' | 'out';

export function kernelCounters(kernel: KernelStats, registers: Registry[], capped: () => boolean): void {
  const per = (real: boolean) => async (): Promise<StatsRow[]> =>
    real && capped() ? [] : (await kernel.read()).rows.filter((r) => (r.real !== undefined) === real);
  const labels = (r: StatsRow): Record<string, string> =>
    r.real === undefined ? { virtual: r.vid } : { virtual: r.vid, real: r.real };
  const family = (
    realRows: boolean,
    names: { conns: string; packets: string; bytes: string },
    labelNames: string[],
  ): void => {
    const rows = per(realRows);
    new Counter({
      name: names.conns,
      help: `Connections scheduled by the kernel to this ${realRows ? 'real server' : 'virtual service'}.`,
      labelNames,
      registers,
      async collect() {
        setCounter(
          this,
          (await rows()).map((r) => [labels(r), Number(r.stats.conns)] as const),
        );
      },
    });
    const directional = (name: string, what: string, pick: (r: StatsRow, d: Dir) => bigint): void => {
      new Counter({
        name,
        help: `${what} through this ${realRows ? 'real server' : 'virtual service'} (kernel counter), by direction.`,
        labelNames: [...labelNames, 'direction'],
        registers,
        async collect() {
          const rs = await rows();
          setCounter(
            this,
            rs.flatMap((r) =>
              (['in', 'out'] as const).map((d) => [{ ...labels(r), direction: d }, Number(pick(r, d))] as const),
            ),
          );
        },
      });
    };
    directional(names.packets, 'Packets', (r, d) => (d === 'in' ? r.stats.inPackets : r.stats.outPackets));
    directional(names.bytes, 'Bytes', (r, d) => (d === 'in' ? r.stats.inBytes : r.stats.outBytes));
  };
  family(false, { conns: METRIC.virtualConns, packets: METRIC.virtualPackets, bytes: METRIC.virtualBytes }, [
    'virtual',
  ]);
  family(true, { conns: METRIC.realConns, packets: METRIC.realPackets, bytes: METRIC.realBytes }, ['virtual', 'real']);
  let seen = 0;
  new Counter({
    name: METRIC.statsReadErrors,
    help: 'Failed kernel reads while collecting IPVS counters.',
    registers,
    async collect() {
      // Errors are counted once per actual read, not per scrape that reused a cached reading.
      const reading = await kernel.read();
      const reads = kernel.reads();
      if (reads !== seen) {
        seen = reads;
        if (reading.errors > 0) this.inc(reading.errors);
      }
    },
  });
}
