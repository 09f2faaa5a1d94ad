// smtp / submission: greeting, EHLO (HELO when EHLO is refused), QUIT. Up when the greeting is 2xx and
// EHLO or HELO is answered 2xx. request/receive are unused, as in ldirectord.

import { hostname } from 'node:os';
import type { Check } from '../types';
import { hostPort, probe, ProbeFailure } from './probe';
import { openStream, readNumericReply, replyText } from './stream';

export const smtpCheck: Check = (spec, signal) =>
  probe(
    `${spec.service === 'submission' ? 'SUBMISSION' : 'SMTP'} ${hostPort(spec.address, spec.port)}`,
    spec,
    signal,
    async (ctx) => {
      const s = await openStream(ctx, { host: spec.address, port: spec.port });
      const greeting = await readNumericReply(s, 'greeting');
      if (greeting.code < 200 || greeting.code > 299) throw new ProbeFailure(`greeting: ${replyText(greeting)}`);
      const me = hostname() || 'localhost';
      s.write(`EHLO ${me}\r\n`);
      let hello = await readNumericReply(s, 'EHLO reply');
      if (hello.code >= 500) {
        s.write(`HELO ${me}\r\n`);
        hello = await readNumericReply(s, 'HELO reply');
      }
      if (hello.code < 200 || hello.code > 299) throw new ProbeFailure(`EHLO/HELO refused: ${replyText(hello)}`);
      s.end('QUIT\r\n');
      return replyText(greeting);
    },
  );
