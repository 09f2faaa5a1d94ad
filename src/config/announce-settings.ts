// The global announce directives → GlobalConfig.announce (docs/decisions/013-bgp-announce.md). The directive
// table reads the values; here are the forms they must take, each error at the file:line of its directive.
//
//   announcesocket   an absolute path (the speaker's process is started by ExaBGP, elsewhere)
//   announcenexthop  `self` or an IP address (ExaBGP's `next-hop` takes either)
//   announcedrain    seconds (the table reads a uint), kept as ms
//   announce, announcefallback   the defaults of the virtual services' own announce= / announcefallback=

import { isIP } from 'node:net';
import type { AnnounceConfig } from '../model/config';
import { DEFAULT_ANNOUNCE_SOCKET } from '../model/announce';
import type { Diagnostics } from './diagnostics';
import type { ScopeValues } from './scope';

/** announcedrain's default: 2 s, more than an UPDATE takes from the speaker to the router's FIB. */
export const DEFAULT_DRAIN_MS = 2000;

export function buildAnnounceSettings(scope: ScopeValues, diags: Diagnostics): AnnounceConfig {
  const at = (name: string) => scope.values.get(name);
  const socketSetting = at('announcesocket');
  const hopSetting = at('announcenexthop');
  let socket = socketSetting === undefined ? DEFAULT_ANNOUNCE_SOCKET : String(socketSetting.value);
  let nexthop = hopSetting === undefined ? 'self' : String(hopSetting.value);
  if (socketSetting !== undefined && !socket.startsWith('/')) {
    diags.error(
      'E_ANNOUNCE',
      `announcesocket must be an absolute path, got ${JSON.stringify(socket)}`,
      socketSetting.at,
    );
    socket = DEFAULT_ANNOUNCE_SOCKET;
  }
  if (hopSetting !== undefined && nexthop !== 'self' && isIP(nexthop) === 0) {
    diags.error(
      'E_ANNOUNCE',
      `announcenexthop must be self or an IP address, got ${JSON.stringify(nexthop)}`,
      hopSetting.at,
    );
    nexthop = 'self';
  }
  const drain = at('announcedrain');
  return Object.freeze({
    socket,
    nexthop,
    drainMs: drain === undefined ? DEFAULT_DRAIN_MS : Number(drain.value) * 1000,
    byDefault: (at('announce')?.value as boolean | undefined) ?? false,
    fallback: (at('announcefallback')?.value as boolean | undefined) ?? false,
  });
}
