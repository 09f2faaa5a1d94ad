// simpletcp: send request (leading `/` removed, the two characters `\n` turned into a newline), half-close,
// then read lines; up when any line matches receive. Over UDP (protocol=udp) the request is one datagram
// and the reply datagram's lines are matched. Empty receive: up as soon as the server answers anything
// (ldirectord reuses Perl's last successful pattern there, which is unpredictable).

import type { Check } from '../types';
import { openDatagram } from './datagram';
import { hostPort, probe, ProbeFailure, stripSlash } from './probe';
import { excerpt, receivePattern } from './receive';
import { openStream } from './stream';

/** The bytes simpletcp sends for a request. */
export function simpleTcpPayload(request: string): string {
  return stripSlash(request).split('\\n').join('\n');
}

export const simpletcpCheck: Check = (spec, signal) => {
  const udp = spec.protocol === 'udp';
  return probe(`SIMPLETCP ${udp ? 'udp' : 'tcp'} ${hostPort(spec.address, spec.port)}`, spec, signal, async (ctx) => {
    const pattern = spec.receive === '' ? undefined : receivePattern(spec.receive);
    const payload = simpleTcpPayload(spec.request);
    let lines: string[];
    if (udp) {
      const ch = await openDatagram(ctx, spec.address, spec.port);
      ch.send(Buffer.from(payload, 'latin1'));
      lines = (await ch.receive('reply')).toString('latin1').split(/\r?\n/);
      const hit = pattern ? lines.find((l) => pattern.test(l)) : lines[0];
      if (hit === undefined)
        throw new ProbeFailure(`no reply line matches /${spec.receive}/; got ${excerpt(lines.join('\n'))}`);
      return `matched ${excerpt(hit)}`;
    }
    const s = await openStream(ctx, { host: spec.address, port: spec.port });
    s.end(payload);
    let first: string | undefined;
    for (;;) {
      const line = await s.readLineOrEnd('reply');
      if (line === undefined) break;
      first ??= line;
      if (!pattern || pattern.test(line)) return `matched ${excerpt(line)}`;
    }
    if (first === undefined) throw new ProbeFailure('connection closed without a reply');
    throw new ProbeFailure(`no reply line matches /${spec.receive}/; first line ${excerpt(first)}`);
  });
};
