// nntp: the first byte of the greeting must be `2` (200/201 posting allowed or not), as in ldirectord,
// which reads at most 64 bytes and sends nothing. We send QUIT afterwards to close politely.

import type { Check } from '../types';
import { hostPort, probe, ProbeFailure } from './probe';
import { excerpt } from './receive';
import { openStream } from './stream';

export const nntpCheck: Check = (spec, signal) =>
  probe(`NNTP ${hostPort(spec.address, spec.port)}`, spec, signal, async (ctx) => {
    const s = await openStream(ctx, { host: spec.address, port: spec.port, maxLine: 64 });
    const first = (await s.readSome('greeting')).subarray(0, 64).toString('latin1');
    const line = first.split(/\r?\n/)[0] ?? '';
    if (!first.startsWith('2')) throw new ProbeFailure(`greeting: ${excerpt(line)}`);
    s.end('QUIT\r\n');
    return excerpt(line);
  });
