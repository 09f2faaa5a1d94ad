// A DatagramSocket that plays back datagrams captured from a real kernel: every datagram we send must equal
// the captured request byte for byte, and is answered with the captured replies carrying the same seq.

import type { OpenSocket } from '../../../src/ipvs/transport/socket';

export interface CapturedExchange {
  readonly name: string;
  readonly op: string;
  readonly args: readonly unknown[];
  readonly requests: readonly string[];
  readonly replies: readonly string[];
  readonly outcome: string;
}

interface Expected {
  readonly exchange: string;
  readonly request: string;
  readonly replies: Buffer[];
}

const seqOf = (hex: string): number => Buffer.from(hex, 'hex').readUInt32LE(8);

export function replayScript(exchanges: readonly CapturedExchange[]): Expected[] {
  const out: Expected[] = [];
  for (const x of exchanges) {
    for (const request of x.requests) {
      const seq = seqOf(request);
      out.push({
        exchange: x.name,
        request,
        replies: x.replies.filter((r) => seqOf(r) === seq).map((r) => Buffer.from(r, 'hex')),
      });
    }
  }
  return out;
}

export interface Replay {
  readonly open: OpenSocket;
  /** Requests that differed from the capture, as "exchange: expected … got …". */
  readonly mismatches: string[];
  /** How many captured requests have been matched so far. */
  position(): number;
}

export function replaySocket(script: readonly Expected[]): Replay {
  const mismatches: string[] = [];
  let cursor = 0;
  const open: OpenSocket = (handlers) => ({
    send: async (datagram) => {
      const expected = script[cursor++];
      const got = datagram.toString('hex');
      if (!expected) {
        mismatches.push(`unexpected extra request ${got}`);
        return;
      }
      if (got !== expected.request)
        mismatches.push(`${expected.exchange}:\n  expected ${expected.request}\n  got      ${got}`);
      for (const r of expected.replies) setImmediate(() => handlers.message(r, 0));
    },
    close: () => undefined,
  });
  return { open, mismatches, position: () => cursor };
}
