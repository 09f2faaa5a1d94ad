// The daemon's metrics with every source quiet: an empty running director, no overrides, no kernel rows and
// no kernel weights; a test gives only the sources it is about.
import { createDaemonMetrics, type DaemonMetrics, type MetricsSources } from '../../../../src/observe/metrics/registry';

export const quietMetrics = (sources: Partial<MetricsSources> = {}): DaemonMetrics =>
  createDaemonMetrics({
    snapshot: () => ({ file: 'x', state: 'running', virtuals: [] }),
    override: () => undefined,
    kernel: { read: async () => ({ rows: [], errors: 0 }), reads: () => 0 },
    kernelWeights: async () => new Map(),
    ...sources,
  });
