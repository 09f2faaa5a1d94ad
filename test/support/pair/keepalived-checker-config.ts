// Config text for keepalived as the whole product on a director: VRRP moves the VIP (and, in NAT, the real
// servers' gateway), its own checker keeps the IPVS table (HTTP_GET on the HTTP service, TCP_CHECK on the
// stream service, the same timing as ldirectord-ts's config in configs.ts) and, with a sync id, its
// `lvs_sync_daemon` runs the kernel's connection-sync daemon on the back link. Pure.
import { keepalivedConfig, SYNC_INTERFACE, type VrrpOptions } from './configs';
import { HTTP_PORT, REALS, STREAM_PORT, VIP, realAddress, type DirectorId } from './plan';

export interface CheckerOptions extends VrrpOptions {
  /** The sync id of keepalived's `lvs_sync_daemon`; absent: no sync daemon (the no-sync control). */
  readonly syncid?: number;
}

/** The VRRP instance's name in configs.ts (lvs_sync_daemon follows that instance's state). */
const INSTANCE = 'VI_PAIR';

function virtualServer(port: number, o: CheckerOptions, check: readonly string[]): string[] {
  return [
    `virtual_server ${VIP} ${port} {`,
    '  delay_loop 1',
    '  lb_algo rr',
    `  lb_kind ${o.forwarding === 'nat' ? 'NAT' : 'DR'}`,
    '  protocol TCP',
    ...REALS.flatMap((i) => [
      `  real_server ${realAddress(i)} ${port} {`,
      '    weight 1',
      ...check.map((l) => `    ${l}`),
      '  }',
    ]),
    '}',
  ];
}

/** keepalived.conf for director `d`: the VRRP part of configs.ts plus the sync daemon and the checker. */
export function keepalivedCheckerConfig(d: DirectorId, o: CheckerOptions): string {
  const vrrp = keepalivedConfig(d, o).split('\n');
  // The sync daemon line belongs in global_defs, which keepalivedConfig opens on its first line.
  const sync = o.syncid === undefined ? [] : [`  lvs_sync_daemon ${SYNC_INTERFACE} ${INSTANCE} id ${o.syncid}`];
  return [
    ...vrrp.slice(0, 1),
    ...sync,
    ...vrrp.slice(1).filter((l) => l !== ''),
    ...virtualServer(HTTP_PORT, o, [
      'HTTP_GET {',
      '  url {',
      '    path /',
      '    status_code 200',
      '  }',
      '  connect_timeout 2',
      '  retry 0',
      '}',
    ]),
    ...virtualServer(STREAM_PORT, o, ['TCP_CHECK {', '  connect_timeout 2', '  retry 0', '}']),
    '',
  ].join('\n');
}
