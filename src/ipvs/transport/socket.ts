// The bytes-in/bytes-out edge under the request layer: one datagram out, datagrams in. The production
// implementation is raw-socket.ts (an AF_NETLINK socket from the `netlink` package); tests pass their own.

export interface DatagramHandlers {
  /** A datagram arrived from `fromPort` (0 = the kernel). */
  message(datagram: Buffer, fromPort: number): void;
  /** The socket failed (poll error, ENOBUFS, …); the request layer closes and re-creates it. */
  error(err: Error & { errno?: number; code?: string }): void;
}

export interface DatagramSocket {
  /** Sends one datagram to the peer; rejects with the send errno. */
  send(datagram: Buffer): Promise<void>;
  close(): void;
}

export type OpenSocket = (handlers: DatagramHandlers) => DatagramSocket;

/** Timers and their clock, injected so tests can fire timeouts deterministically. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds on a monotonic clock. */
  now(): number;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};
