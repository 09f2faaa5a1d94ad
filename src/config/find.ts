// Config file lookup (docs/behaviour.md §1.2): /etc/ha.d/NAME, then /etc/ha.d/conf/NAME, then NAME as given
// (absolute, or relative to the current directory). NAME defaults to ldirectord.cf.

import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export const DEFAULT_CONFIG_NAME = 'ldirectord.cf';

export function configCandidates(arg: string | undefined): string[] {
  const name = arg ?? DEFAULT_CONFIG_NAME;
  if (isAbsolute(name)) return [name];
  return [`/etc/ha.d/${name}`, `/etc/ha.d/conf/${name}`, resolve(name)];
}

function isFile(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isFile();
  } catch {
    return false;
  }
}

export function findConfigFile(arg: string | undefined, exists: (p: string) => boolean = isFile): string | undefined {
  return configCandidates(arg).find((p) => exists(p));
}
