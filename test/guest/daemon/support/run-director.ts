// The director as a process, for the end-to-end tests, composed as the daemon composes it (netlink IPVS
// client, the real health pool and check dispatcher, targetsFor):
//   node --import tsx run-director.ts CONFIG
// Log lines (the catalogue) on stderr; every director event as one JSON line on stdout for the test to wait
// on. SIGHUP reloads CONFIG, SIGTERM stops (cleanstop per config), SIGKILL leaves the table as it is.
import { startDirector } from '../../../../src/daemon/director';
import { loadConfig } from '../../../../src/config/load';
import { createHealthPool } from '../../../../src/health/pool';
import { targetsFor } from '../../../../src/health/spec';
import type { Clock } from '../../../../src/health/types';
import { openIpvs } from '../../../../src/ipvs';
import { createLogger } from '../../../../src/observe/log/logger';
import { createStderrSink } from '../../../../src/observe/log/stream-sinks';

const clock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

async function main(): Promise<void> {
  const file = process.argv[2]!;
  const loaded = await loadConfig(file);
  if (!loaded.ok) {
    for (const e of loaded.errors)
      process.stderr.write(`${e.source.file}:${e.source.line}:${e.source.col}: ${e.code} ${e.message}\n`);
    process.exit(2);
  }
  const ipvs = await openIpvs();
  const director = await startDirector({
    config: loaded.config,
    ipvs,
    pool: createHealthPool({ clock }),
    targets: (c) => targetsFor(c),
    clock,
    spawn: async () => ({ code: 0, signal: null }),
    logger: createLogger({ sink: createStderrSink() }),
  });
  director.subscribe((e) => {
    const out: Record<string, unknown> = { type: e.type };
    if ('phase' in e) out.phase = e.phase;
    if (e.type === 'op-applied' || e.type === 'op-failed') out.op = e.op.kind;
    if (e.type === 'pass') Object.assign(out, { ops: e.ops, failed: e.failed });
    process.stdout.write(`${JSON.stringify(out)}\n`);
  });
  process.stdout.write(`${JSON.stringify({ type: 'started' })}\n`);
  process.on('SIGHUP', () => void loadConfig(file).then((r) => director.reload(r)));
  process.on('SIGTERM', () => void director.stop().then(() => process.exit(0)));
}

void main().catch((e: Error) => {
  process.stderr.write(`run-director: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
