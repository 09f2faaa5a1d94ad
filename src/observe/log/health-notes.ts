// The log lines of the health steps that are not transitions (src/health/state.ts), in ldirectord's wording
// where it has one (docs/behaviour.md §1): `Soft failure real server: R (vid) failure n/N`,
// `Resetting soft failure count: R (vid)`. The successcount steps it did not have are worded the same way
// (docs/compat.md): `Soft success real server: R (vid) success n/N` and
// `Resetting soft success count: R (vid)`. A failure line ends with the check's reason.

import type { StepNote } from '../../health/state';
import type { RealServer, VirtualService } from '../../model/config';

const host = (r: RealServer): string => (r.family === 'inet6' ? `[${r.address}]` : r.address);

/** `target`: the virtual and real the note is about; `id` (the pool's target id) names it when it is unknown. */
export function healthNoteLine(
  note: StepNote,
  target: { virtual: VirtualService; real: RealServer } | undefined,
  id: string,
): string {
  const who = target === undefined ? id : `${host(target.real)}:${target.real.port} (${target.virtual.id})`;
  switch (note.kind) {
    case 'soft-failure':
      return `Soft failure real server: ${who} failure ${note.count}/${note.of}: ${note.reason}`;
    case 'failures-reset':
      return `Resetting soft failure count: ${who}`;
    case 'soft-success':
      return `Soft success real server: ${who} success ${note.count}/${note.of}`;
    case 'successes-reset':
      return `Resetting soft success count: ${who}: ${note.reason}`;
  }
}
