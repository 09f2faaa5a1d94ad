// checktype=connect: a TCP connection to address:port within checktimeout, closed at once (docs/behaviour.md §3.1).
// The pool's AbortSignal bounds it; the socket is destroyed on every path before the promise settles.
import { connect } from 'node:net';
import type { Check, CheckResult } from '../types';
import { hostPort } from '../timeout';

export const connectCheck: Check = (spec, signal) =>
  new Promise<CheckResult>((resolve) => {
    const target = hostPort(spec.address, spec.port);
    let settled = false;
    const done = (ok: boolean, why: string): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ ok, reason: `connect ${target}: ${why}`, durationMs: 0 }); // the pool times every check
    };
    if (spec.port <= 0) {
      resolve({ ok: false, reason: `connect ${target}: no port to connect to (set checkport)`, durationMs: 0 });
      return;
    }
    const socket = connect({ host: spec.address, port: spec.port });
    socket.on('error', () => undefined); // reported through done() below; never an unhandled 'error'
    const onAbort = (): void => done(false, `timed out after ${spec.checktimeout} s`);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done(true, 'connected'));
    socket.once('error', (err: NodeJS.ErrnoException) => done(false, err.code ?? err.message));
  });
