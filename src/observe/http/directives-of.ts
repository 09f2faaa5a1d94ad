// The status directives of a loaded config (GlobalConfig.statusaddress etc., each with the file:line it
// came from), as the settings validator takes them.

import type { Config } from '../../model/config';
import type { StatusDirectives } from './settings';

export function statusDirectivesOf(config: Config): StatusDirectives {
  const g = config.global;
  return {
    ...(g.statusaddress === undefined ? {} : { statusaddress: g.statusaddress }),
    ...(g.statustlscert === undefined ? {} : { statustlscert: g.statustlscert }),
    ...(g.statustlskey === undefined ? {} : { statustlskey: g.statustlskey }),
    ...(g.statususers === undefined ? {} : { statususers: g.statususers }),
  };
}
