// Who is being scraped: `ldirectord_build_info{...} 1` (the Prometheus info-metric convention; join on it to label
// other series with the version) and prom-client's default process and Node.js metrics (CPU, resident memory,
// open fds, heap, event-loop lag, GC), registered on the daemon's own Registry, never the global one.

import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import { PERL_RELEASE, VERSION } from '../../model/version';
import { METRIC } from './names';

export interface BuildInfo {
  /** ldirectord-ts's version (package.json). */
  readonly version: string;
  /** The Node.js running the daemon (process.version). */
  readonly nodeVersion: string;
  /** The Perl ldirectord release whose behaviour is kept. */
  readonly compat: string;
}

export const BUILD_INFO: BuildInfo = {
  version: VERSION,
  nodeVersion: process.version,
  compat: PERL_RELEASE.replace(/^Linux Director /, ''),
};

export function processMetrics(registry: Registry, info: BuildInfo = BUILD_INFO): void {
  const g = new Gauge({
    name: METRIC.buildInfo,
    help: 'Always 1; the labels say which ldirectord-ts, on which Node.js, keeping which Perl ldirectord release.',
    labelNames: ['version', 'node_version', 'compat'],
    registers: [registry],
  });
  g.set({ version: info.version, node_version: info.nodeVersion, compat: info.compat }, 1);
  collectDefaultMetrics({ register: registry });
}
