// Configs that load but cannot bring a server up: warnings with file:line, printed by `-t` and logged by the
// daemon at start and at every reload (docs/compat.md, "What -t checks").

import type { Config, Diagnostic, SourceRef } from '../model/config';
import { checkPort } from './spec';

/** Checks that need a port to reach the real server (ping, external, on, off and service=none do not). */
function needsPort(v: Config['virtuals'][number]): boolean {
  const k = v.checktype.kind;
  if (k === 'connect' || k === 'combined') return true;
  return k === 'negotiate' && v.service !== 'none';
}

/** Pure: warnings for what loads but can never work. */
export function cannotWork(config: Config): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (message: string, source: SourceRef, code = 'W_NO_PORT'): void =>
    void out.push({ severity: 'warning', code, message, source });
  if (config.virtuals.length === 0) {
    warn(
      'no virtual service: started, this config programs an empty IPVS table; reloaded, it removes every service',
      { file: config.file, line: 1, col: 1 },
      'W_NO_VIRTUALS',
    );
  }
  for (const v of config.virtuals) {
    for (const r of v.reals) {
      const name = `real server ${r.address}:${r.port} of ${v.id}`;
      if (v.fwmark === undefined && r.forwarding === 'masq' && r.port === 0) {
        warn(
          `${name}: masq needs the real server's port (the kernel would forward to port 0); write ${r.address}:PORT`,
          r.source,
        );
      } else if (needsPort(v) && checkPort(v, r) === 0) {
        warn(
          `${name}: its ${v.checktype.kind} check has no port (no checkport, no real port, no default port for service ${v.service}), so it never comes up; give the real a port or set checkport`,
          r.source,
        );
      }
    }
  }
  return out;
}
