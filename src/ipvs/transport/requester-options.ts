// The request layer's options (src/ipvs/transport/requester.ts), checked once: defaults filled in, a window
// outside 1..64 or a timeout that is not a positive number refused with a clear error.

import { realTimers, type OpenSocket, type Timers } from './socket';

export const MAX_WINDOW = 64;

export interface RequesterOptions {
  readonly openSocket: OpenSocket;
  /** Per request, from the moment it is sent. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Requests in flight, 1..64. Default 64. */
  readonly window?: number;
  /** Largest datagram we build when batching. Default 32 KiB. */
  readonly maxDatagramBytes?: number;
  /** The port replies must come from: 0 for the kernel. */
  readonly peerPort?: number;
  readonly timers?: Timers;
  /** Diagnostics: socket re-creations, stray or malformed datagrams. Never throws into the layer. */
  readonly onEvent?: (event: RequesterEvent) => void;
}

export type RequesterEvent =
  | { readonly kind: 'open'; readonly generation: number }
  | { readonly kind: 'reset'; readonly reason: string; readonly rejected: number }
  | { readonly kind: 'stray'; readonly detail: string }
  | { readonly kind: 'bad-datagram'; readonly detail: string };

export class RequestWindowError extends Error {
  readonly code = 'IPVS_BAD_OPTION';
}

/** The options with every default filled in. */
export interface RequesterSettings {
  readonly openSocket: OpenSocket;
  readonly timeoutMs: number;
  readonly window: number;
  readonly maxDatagramBytes: number;
  readonly peerPort: number;
  readonly timers: Timers;
  /** options.onEvent made safe: a throwing sink never breaks the request layer. */
  readonly onEvent: (e: RequesterEvent) => void;
}

export function requesterSettings(options: RequesterOptions): RequesterSettings {
  const window = options.window ?? MAX_WINDOW;
  if (!Number.isInteger(window) || window < 1 || window > MAX_WINDOW) {
    throw new RequestWindowError(
      `IPVS request window must be an integer in 1..${MAX_WINDOW}, got ${String(options.window)}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!(timeoutMs > 0))
    throw new RequestWindowError(`IPVS request timeout must be a positive number of ms, got ${String(timeoutMs)}`);
  const sink = options.onEvent;
  return {
    openSocket: options.openSocket,
    timeoutMs,
    window,
    maxDatagramBytes: options.maxDatagramBytes ?? 32 * 1024,
    peerPort: options.peerPort ?? 0,
    timers: options.timers ?? realTimers,
    onEvent: (e) => {
      try {
        sink?.(e);
      } catch {
        // diagnostics must not break the request layer
      }
    },
  };
}
