// The global sync directives → GlobalConfig.syncdaemon / syncdaemonstop. The directive table reads each value
// (integers, ports, yes/no); here are the ranges the kernel accepts and the rules that tie them together, each
// error at the file:line of the directive that breaks it.
//
//   syncdaemon unset      → not managed (ldirectord never touched sync daemons); other sync lines: W_SYNC_UNUSED
//   syncdaemon=none       → the director stops any sync daemon it finds
//   master|backup|both    → needs syncinterface; syncid 0..255, syncmaxlen 1..65507, syncttl 1..255,
//                           syncgroup an IPv4 or IPv6 multicast address

import type { SourceRef, SyncConfig, SyncRole } from '../model/config';
import type { Diagnostics } from './diagnostics';
import type { ScopeValues, Setting } from './scope';
import { interfaceNameProblem, multicastFamily } from '../model/sync-names';

const ROLES: Readonly<Record<string, readonly SyncRole[]>> = {
  master: ['master'],
  backup: ['backup'],
  both: ['master', 'backup'],
  none: [],
};
const DETAIL = ['syncinterface', 'syncid', 'syncmaxlen', 'syncgroup', 'syncport', 'syncttl'] as const;
/** The largest UDP payload over IPv4; the kernel clamps a larger maxlen to the interface MTU anyway. */
export const SYNC_MAXLEN_MAX = 65507;

export interface SyncSettings {
  readonly syncdaemon?: SyncConfig;
  readonly syncdaemonstop: boolean;
}

export function buildSyncSettings(scope: ScopeValues, diags: Diagnostics): SyncSettings {
  const at = (name: string): Setting | undefined => scope.values.get(name);
  const syncdaemonstop = (at('syncdaemonstop')?.value as boolean | undefined) ?? false;

  // Each value is checked whether or not syncdaemon is set: a wrong value is wrong either way.
  let ok = true;
  const error = (message: string, where: SourceRef): undefined => {
    diags.error('E_SYNC', message, where);
    ok = false;
    return undefined;
  };
  const ranged = (name: string, min: number, max: number): number | undefined => {
    const s = at(name);
    if (s === undefined) return undefined;
    const n = s.value as number;
    return n >= min && n <= max ? n : error(`${name} must be ${min}..${max}, got ${n}`, s.at);
  };
  const iface = at('syncinterface');
  const ifname = iface === undefined ? undefined : String(iface.value);
  const problem = ifname === undefined ? undefined : interfaceNameProblem(ifname);
  if (iface !== undefined && problem !== undefined) error(`syncinterface: ${problem}`, iface.at);
  const syncid = ranged('syncid', 0, 255) ?? 0;
  const maxlen = ranged('syncmaxlen', 1, SYNC_MAXLEN_MAX);
  const ttl = ranged('syncttl', 1, 255);
  const port = at('syncport')?.value as number | undefined;
  const groupSetting = at('syncgroup');
  const group = groupSetting === undefined ? undefined : String(groupSetting.value);
  if (groupSetting !== undefined && group !== undefined && multicastFamily(group) === undefined) {
    error(
      `syncgroup must be an IPv4 (224.0.0.0/4) or IPv6 (ff00::/8) multicast address, got ${JSON.stringify(group)}`,
      groupSetting.at,
    );
  }

  const mode = at('syncdaemon');
  if (mode === undefined) {
    for (const name of DETAIL) {
      const s = at(name);
      if (s !== undefined)
        diags.warn('W_SYNC_UNUSED', `${name} has no effect without syncdaemon=master|backup|both`, s.at);
    }
    return { syncdaemonstop };
  }
  const roles = ROLES[String(mode.value)];
  if (roles === undefined) {
    diags.error(
      'E_BAD_VALUE',
      `syncdaemon must be master, backup, both or none, got ${JSON.stringify(mode.value)}`,
      mode.at,
    );
    return { syncdaemonstop };
  }
  if (roles.length === 0)
    return { syncdaemon: Object.freeze({ source: mode.at, roles, interface: '', syncid: 0 }), syncdaemonstop };
  if (iface === undefined || ifname === undefined) {
    error(`syncdaemon=${String(mode.value)} needs syncinterface=IFNAME (the interface the sync messages use)`, mode.at);
  }
  if (!ok || iface === undefined || ifname === undefined) return { syncdaemonstop };
  return {
    syncdaemon: Object.freeze({
      source: mode.at,
      roles,
      interface: ifname,
      interfaceAt: iface.at,
      syncid,
      ...(maxlen !== undefined ? { maxlen } : {}),
      ...(group !== undefined ? { group } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(ttl !== undefined ? { ttl } : {}),
    }),
    syncdaemonstop,
  };
}
