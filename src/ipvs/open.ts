// openIpvs: the composition of socket, request layer and client for a real kernel.

import { NetlinkIpvsClient } from './client';
import { rawSocketOpener, type RawSocketOptions } from './transport/raw-socket';
import { NetlinkRequester, type RequesterEvent } from './transport/requester';
import { RequestWindowError } from './transport/requester-options';
import { IPVS_SOCKETS, RequesterPool } from './transport/requester-pool';
import type { OpenSocket, Timers } from './transport/socket';
import type { IpvsClient } from './types';

export interface OpenIpvsOptions extends RawSocketOptions {
  /** Per-request timeout (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Requests in flight per socket, 1..64 (default 64). */
  readonly window?: number;
  /** Netlink sockets opened as requests overlap, 1..IPVS_SOCKETS (default IPVS_SOCKETS; requester-pool.ts). */
  readonly sockets?: number;
  /** Largest batched datagram (default 32 KiB). */
  readonly maxDatagramBytes?: number;
  /** Replaces the netlink socket (tests: an in-process fake peer). */
  readonly openSocket?: OpenSocket;
  readonly timers?: Timers;
  /** Socket opens and resets (a reset means: resync the table), stray and malformed datagrams. */
  readonly onEvent?: (event: RequesterEvent) => void;
}

/**
 * Opens a netlink IPVS client and resolves the IPVS family at once, so a kernel without IPVS fails here with
 * IpvsError code IPVS_UNAVAILABLE.
 */
export async function openIpvs(options: OpenIpvsOptions = {}): Promise<IpvsClient> {
  const ref: { client?: NetlinkIpvsClient } = {};
  const sockets = options.sockets ?? IPVS_SOCKETS;
  if (!Number.isInteger(sockets) || sockets < 1 || sockets > IPVS_SOCKETS)
    throw new RequestWindowError(`IPVS sockets must be an integer in 1..${IPVS_SOCKETS}, got ${String(sockets)}`);
  const openSocket = options.openSocket ?? rawSocketOpener(options);
  const member = (): NetlinkRequester =>
    new NetlinkRequester({
      openSocket,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.window !== undefined ? { window: options.window } : {}),
      ...(options.maxDatagramBytes !== undefined ? { maxDatagramBytes: options.maxDatagramBytes } : {}),
      ...(options.peerPort !== undefined ? { peerPort: options.peerPort } : {}),
      ...(options.timers !== undefined ? { timers: options.timers } : {}),
      onEvent: (e) => {
        if (e.kind === 'reset') ref.client?.invalidateFamily();
        options.onEvent?.(e);
      },
    });
  const requester = sockets === 1 ? member() : new RequesterPool(Array.from({ length: sockets }, member));
  const client = new NetlinkIpvsClient(requester);
  ref.client = client;
  try {
    await client.resolveFamily();
  } catch (e) {
    requester.close();
    throw e;
  }
  return client;
}
