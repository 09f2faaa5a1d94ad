// The V8 settings the daemon's process runs with, set by its entry points (src/cli/ldirectord.ts,
// daemon-main.ts) before anything large is allocated (docs/decisions/017-heap-flags.md):
// - --optimize-for-size: V8 grows the old generation more cautiously (and compiles a little less eagerly);
// - --semi-space-growth-factor=1: the young generation keeps the size it starts with (1 MiB per semi-space)
//   instead of growing to 16 MiB per semi-space under a high allocation rate. It is what
//   --max-semi-space-size=1 on node's command line does, but it can be set at run time: V8 reads the factor
//   each time it would grow the space, while the maximum is fixed when the heap is made. So `node
//   bin/ldirectord`, a systemd ExecStart and the detached daemon child all get it without a re-exec.
// Together they cut the daemon's peak RSS at 1,000 real servers by about 15 MiB (docs/benchmarks.md, "Memory").
import { setFlagsFromString } from 'node:v8';

export const HEAP_FLAGS: readonly string[] = ['--optimize-for-size', '--semi-space-growth-factor=1'];

/** Applies HEAP_FLAGS to this process, unless LDIRECTORD_V8_DEFAULTS=1 (to measure without them). */
export function applyHeapFlags(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.LDIRECTORD_V8_DEFAULTS === '1') return false;
  for (const flag of HEAP_FLAGS) setFlagsFromString(flag);
  return true;
}
