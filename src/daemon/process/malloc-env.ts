// The C library's malloc settings the daemon's process runs with (docs/decisions/017-heap-flags.md, "glibc's
// arenas"). glibc gives each thread that contends for the main arena an arena of its own, and a freed block
// stays in the arena that made it: node's V8 worker threads (concurrent marking, compiling) and libuv's pool
// each keep their own few MiB that way. MALLOC_ARENA_MAX=1 makes every thread share the main arena: peak RSS
// at 5,000 real servers 103.2-105.1 MiB against 109.2-111.1, the CPU per check within the runs' spread
// (docs/benchmarks.md, "Memory"). glibc reads it once, when the process starts, so it is set where a process is started: the detached
// daemon child's environment (here), the systemd unit and the container image. An operator's own
// MALLOC_ARENA_MAX (or GLIBC_TUNABLES) wins; LDIRECTORD_V8_DEFAULTS=1 leaves the allocator alone as well.

export const MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1' };

/** `env` with MALLOC_ENV added, unless the operator set an arena limit or asked for the defaults. */
export function withMallocEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.LDIRECTORD_V8_DEFAULTS === '1') return env;
  if (env.MALLOC_ARENA_MAX !== undefined || /\bglibc\.malloc\.arena_max=/.test(env.GLIBC_TUNABLES ?? '')) return env;
  return { ...env, ...MALLOC_ENV };
}
