// fallbackcommand (docs/behaviour.md §4.3): `<cmd> start|stop <VIP>:<VPORT> <protocol>` once per change of a
// virtual's sorry state, and `stop` at a clean shutdown (upstream feature request #750).
//
// Decision: the command string is interpreted by /bin/sh as in the original (configs carry arguments in it,
// e.g. `fallbackcommand="/usr/local/bin/sorry --quiet"`), but our three arguments are passed as positional
// parameters (`sh -c '<cmd> "$@"' ldirectord start VIP:PORT tcp`), never pasted into the shell text.
// For fwmark virtuals the address part is the mark (`7:0 fwm`) where the original passed an empty one.

import type { VirtualService } from '../model/config';

export type FallbackAction = 'start' | 'stop';

export interface SpawnResult {
  readonly code: number | null;
  readonly signal: string | null;
}

/** Runs a program without a shell and resolves when it exits; rejects only if it cannot be started. */
export type Spawner = (file: string, args: readonly string[]) => Promise<SpawnResult>;

export function fallbackCommandArgv(
  command: string,
  action: FallbackAction,
  v: VirtualService,
): { file: string; args: string[] } {
  const where =
    v.protocol === 'fwm' ? `${v.fwmark ?? 0}:0` : `${v.family === 'inet6' ? `[${v.address}]` : v.address}:${v.port}`;
  return { file: '/bin/sh', args: ['-c', `${command} "$@"`, 'ldirectord', action, where, v.protocol] };
}

/** The action to run when the sorry state becomes `active` after having been `last` (undefined = never run). */
export function fallbackTransition(
  last: FallbackAction | undefined,
  active: boolean | undefined,
): FallbackAction | undefined {
  if (active === undefined) return undefined;
  const want: FallbackAction = active ? 'start' : 'stop';
  return want === last ? undefined : want;
}
