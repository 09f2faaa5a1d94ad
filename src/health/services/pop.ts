// pop / pops: a +OK greeting is required; with login set, USER and PASS must both be answered +OK.
// (ldirectord reports a POP server without login as always up, even when nothing listens: fixed here.)

import type { Check } from '../types';
import { hostPort, probe, ProbeFailure } from './probe';
import { excerpt } from './receive';
import { openStream, type LineStream } from './stream';

async function expectOk(s: LineStream, what: string): Promise<string> {
  const line = await s.readLine(what);
  if (!line.startsWith('+OK')) throw new ProbeFailure(`${what}: ${excerpt(line)}`);
  return line;
}

export const popCheck: Check = (spec, signal) => {
  const secure = spec.service === 'pops';
  return probe(`${secure ? 'POPS' : 'POP'} ${hostPort(spec.address, spec.port)}`, spec, signal, async (ctx) => {
    const s = await openStream(ctx, {
      host: spec.address,
      port: spec.port,
      ...(secure ? { tls: { verify: spec.tlsVerify, ca: spec.tlsCa, name: spec.virtualhost } } : {}),
    });
    const greeting = await expectOk(s, 'greeting');
    if (spec.login === '') {
      s.end('QUIT\r\n');
      return excerpt(greeting);
    }
    s.write(`USER ${spec.login}\r\n`);
    await expectOk(s, 'USER reply');
    s.write(`PASS ${spec.passwd}\r\n`);
    const line = await s.readLine('PASS reply');
    if (!line.startsWith('+OK')) throw new ProbeFailure(`login as ${spec.login} failed: ${excerpt(line)}`);
    s.end('QUIT\r\n');
    return `logged in as ${spec.login}`;
  });
};
