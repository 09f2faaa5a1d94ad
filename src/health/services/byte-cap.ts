// For checks built on client libraries (pg, mysql2, ldapts), which buffer whatever the server sends: count
// the bytes on the socket we hand the library and end the probe when a server sends more than any health
// check answer needs. The socket is destroyed when the probe settles.

import type { Socket } from 'node:net';
import type { ProbeContext } from './probe';

/** A generous bound for a handshake plus a small result set. */
export const LIBRARY_MAX_BYTES = 1024 * 1024;

export function capBytes<S extends Socket>(ctx: ProbeContext, socket: S, max = LIBRARY_MAX_BYTES): S {
  let seen = 0;
  socket.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > max) {
      socket.destroy();
      ctx.fail(`server sent more than ${max} bytes`);
    }
  });
  ctx.defer(() => socket.destroy());
  return socket;
}
