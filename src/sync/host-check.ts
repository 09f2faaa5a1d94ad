// The one sync check that needs this host: does the sync interface exist here? Run by `ldirectord -t` only — at
// start and reload a missing interface is the kernel's ENODEV, logged and counted while the director keeps
// checking (the interface may appear later, e.g. a VLAN brought up after the director).

import { existsSync, readdirSync } from 'node:fs';
import type { Config, Diagnostic } from '../model/config';

/** Whether the network namespace this process runs in has an interface `name` (sysfs is per namespace). */
export function interfaceExists(name: string): boolean {
  return name !== '' && !name.includes('/') && existsSync(`/sys/class/net/${name}`);
}

/**
 * The interfaces of this process's network namespace (for the in-memory kernel of --dry-run).
 * @public loaded with require() (lazily), which knip does not follow
 */
export function hostInterfaces(): string[] {
  try {
    return readdirSync('/sys/class/net');
  } catch {
    return ['lo'];
  }
}

export function syncHostProblems(config: Config, exists: (name: string) => boolean): Diagnostic[] {
  const s = config.global.syncdaemon;
  if (s === undefined || s.roles.length === 0 || exists(s.interface)) return [];
  return [
    {
      severity: 'error',
      code: 'E_SYNC_INTERFACE',
      message: `syncinterface ${s.interface} does not exist on this host (the kernel would refuse the sync daemon with ENODEV)`,
      source: s.interfaceAt ?? s.source,
    },
  ];
}
