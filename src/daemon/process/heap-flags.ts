// The V8 settings the daemon's process runs with (docs/decisions/017-heap-flags.md):
// - --semi-space-growth-factor=1, set by the entry points (src/cli/ldirectord.ts, daemon-main.ts) before anything
//   large is allocated: the young generation keeps the size it starts with (1 MiB per semi-space) instead of
//   growing to 16 MiB per semi-space under a high allocation rate. It is what --max-semi-space-size=1 on node's
//   command line does, but it can be set at run time: V8 reads the factor each time it would grow the space,
//   while the maximum is fixed when the heap is made. So `node bin/ldirectord`, a systemd ExecStart and the
//   detached daemon child all get it without a re-exec.
// - --optimize-for-size, set once the daemon's start-up pass has programmed the table (the composition root
//   calls applyRunningHeapFlags): V8 then grows the old generation more cautiously. During the start-up's burst
//   of allocation it made every collection give pages back only to fault them in again, which cost a cold start
//   at 5,000 real servers in the test guest about a second (docs/benchmarks.md, "Cold start"). One full
//   collection then sizes the old generation by it.
// Together they cut the daemon's peak RSS at 1,000 real servers by about 15 MiB (docs/benchmarks.md, "Memory").
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Set when the process starts. */
export const START_HEAP_FLAGS: readonly string[] = ['--semi-space-growth-factor=1'];
/** Set once the daemon's table is programmed. */
export const RUNNING_HEAP_FLAGS: readonly string[] = ['--optimize-for-size'];

const useDefaults = (env: NodeJS.ProcessEnv): boolean => env.LDIRECTORD_V8_DEFAULTS === '1';

/** Applies START_HEAP_FLAGS to this process, unless LDIRECTORD_V8_DEFAULTS=1 (to measure without them). */
export function applyHeapFlags(env: NodeJS.ProcessEnv = process.env): boolean {
  if (useDefaults(env)) return false;
  for (const flag of START_HEAP_FLAGS) setFlagsFromString(flag);
  return true;
}

/**
 * Applies RUNNING_HEAP_FLAGS and collects the whole heap once, so that the old generation the start-up grew is
 * sized by them from here on (without that collection the peak RSS at 5,000 real servers stayed ~2 MiB higher);
 * unless LDIRECTORD_V8_DEFAULTS=1. V8 gives the collector to a context made after --expose-gc is set, so the
 * process's own global object never gets a `gc`.
 */
export function applyRunningHeapFlags(env: NodeJS.ProcessEnv = process.env): boolean {
  if (useDefaults(env)) return false;
  for (const flag of RUNNING_HEAP_FLAGS) setFlagsFromString(flag);
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  setFlagsFromString('--no-expose-gc');
  return true;
}
