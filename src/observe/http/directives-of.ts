// The status directives of a loaded config (GlobalConfig.statusaddress etc., each with the file:line it
// came from), as the settings validator takes them.

import type { Config } from '../../model/config';
import type { SettingAt, StatusDirectives } from './settings';

const NAMES = ['statusaddress', 'statustlscert', 'statustlskey', 'statususers'] as const;

export function statusDirectivesOf(config: Config): StatusDirectives {
  const g = config.global as unknown as Partial<Record<(typeof NAMES)[number], SettingAt>>;
  const out: Partial<Record<(typeof NAMES)[number], SettingAt>> = {};
  for (const n of NAMES) {
    const s = g[n];
    if (s !== undefined && typeof s.value === 'string') out[n] = s;
  }
  return out;
}
