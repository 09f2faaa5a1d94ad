// imap / imaps: a `* OK` (or `* PREAUTH`) greeting; with login set, LOGIN must be answered OK.

import type { Check } from '../types';
import { hostPort, probe, ProbeFailure } from './probe';
import { excerpt } from './receive';
import { openStream } from './stream';

/** An IMAP quoted string (RFC 3501 §4.3): backslash and double quote escaped. */
export function imapQuote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export const imapCheck: Check = (spec, signal) => {
  const secure = spec.service === 'imaps';
  return probe(`${secure ? 'IMAPS' : 'IMAP'} ${hostPort(spec.address, spec.port)}`, spec, signal, async (ctx) => {
    const s = await openStream(ctx, {
      host: spec.address,
      port: spec.port,
      ...(secure ? { tls: { verify: spec.tlsVerify, ca: spec.tlsCa, name: spec.virtualhost } } : {}),
    });
    const greeting = await s.readLine('greeting');
    if (!/^\* (OK|PREAUTH)\b/i.test(greeting)) throw new ProbeFailure(`greeting: ${excerpt(greeting)}`);
    if (spec.login === '') {
      s.end('A1 LOGOUT\r\n');
      return excerpt(greeting);
    }
    s.write(`A1 LOGIN ${imapQuote(spec.login)} ${imapQuote(spec.passwd)}\r\n`);
    for (;;) {
      const line = await s.readLine('LOGIN reply');
      const tagged = /^A1 (OK|NO|BAD)\b ?(.*)$/i.exec(line);
      if (!tagged) continue;
      if (tagged[1]?.toUpperCase() !== 'OK') {
        throw new ProbeFailure(`LOGIN as ${spec.login} failed: ${tagged[1]} ${tagged[2] ?? ''}`.trimEnd());
      }
      break;
    }
    s.end('A2 LOGOUT\r\n');
    return `logged in as ${spec.login}`;
  });
};
