// The V8 settings the daemon's process runs with, set by its entry points (bin/ldirectord, daemon-main.ts)
// before anything large is allocated. --optimize-for-size makes V8 grow the heap more cautiously (and compile
// a little less eagerly): with it the daemon's resident memory at 1,000 and 5,000 real servers fell by a fifth
// to a quarter (docs/benchmarks.md, "Memory"). It is one of the few V8 flags that take effect when set at run
// time; the semi-space size, for one, is fixed when the heap is made and would need node's command line.
import { setFlagsFromString } from 'node:v8';

const HEAP_FLAGS = '--optimize-for-size';

/** Applies HEAP_FLAGS to this process, unless LDIRECTORD_V8_DEFAULTS=1 (to measure without them). */
export function applyHeapFlags(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.LDIRECTORD_V8_DEFAULTS === '1') return false;
  setFlagsFromString(HEAP_FLAGS);
  return true;
}
