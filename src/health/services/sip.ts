// sip: an OPTIONS request for sip:<login> over the virtual's protocol (UDP, or TCP for protocol=tcp).
// Up when the final response's status line is `SIP/2.0 200`; 1xx provisional responses are skipped.
// The Via names our real local address and port; branch, tag and Call-ID are fresh for every check.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Check } from '../types';
import { openDatagram } from './datagram';
import { hostPort, probe, ProbeFailure } from './probe';
import { excerpt } from './receive';
import { openStream, type LineStream } from './stream';

export interface OptionsRequest {
  readonly transport: 'UDP' | 'TCP';
  readonly local: { readonly address: string; readonly port: number };
  readonly login: string;
  readonly token: string;
}

/** The OPTIONS request text (RFC 3261 §11). */
export function optionsRequest(r: OptionsRequest): string {
  const local = hostPort(r.local.address, r.local.port);
  return [
    `OPTIONS sip:${r.login} SIP/2.0`,
    `Via: SIP/2.0/${r.transport} ${local};branch=z9hG4bK${r.token};rport`,
    'Max-Forwards: 70',
    `To: <sip:${r.login}>`,
    `From: <sip:${r.login}>;tag=${r.token}`,
    `Call-ID: ${r.token}@${local}`,
    'CSeq: 63104 OPTIONS',
    `Contact: <sip:${r.login}@${local}>`,
    'Accept: application/sdp',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function verdict(status: string): string {
  if (/^SIP\/2\.0 200\b/.test(status)) return status;
  throw new ProbeFailure(`OPTIONS answered ${excerpt(status)}`);
}

/** Reads one response head over TCP: status line, headers up to the blank line. Skips the body length. */
async function readTcpStatus(s: LineStream): Promise<string> {
  for (;;) {
    const status = await s.readLine('OPTIONS response');
    let length = 0;
    for (;;) {
      const header = await s.readLine('response headers');
      if (header === '') break;
      const m = /^(?:content-length|l)\s*:\s*(\d+)/i.exec(header);
      if (m) length = Number(m[1]);
    }
    if (!/^SIP\/2\.0 1\d\d\b/.test(status)) return status;
    if (length > 0) throw new ProbeFailure('provisional response with a body');
  }
}

export const sipCheck: Check = (spec, signal) => {
  const tcp = spec.protocol === 'tcp';
  const login = spec.login || `ldirectord@${hostname()}`;
  return probe(`SIP ${tcp ? 'tcp' : 'udp'} ${hostPort(spec.address, spec.port)}`, spec, signal, async (ctx) => {
    const token = randomBytes(8).toString('hex');
    if (tcp) {
      const s = await openStream(ctx, { host: spec.address, port: spec.port });
      const local = { address: s.socket.localAddress ?? '', port: s.socket.localPort ?? 0 };
      s.write(optionsRequest({ transport: 'TCP', local, login, token }));
      return verdict(await readTcpStatus(s));
    }
    const ch = await openDatagram(ctx, spec.address, spec.port);
    ch.send(Buffer.from(optionsRequest({ transport: 'UDP', local: ch.localAddress(), login, token }), 'utf8'));
    for (;;) {
      const status = (await ch.receive('OPTIONS response')).toString('utf8').split(/\r?\n/)[0] ?? '';
      if (!/^SIP\/2\.0 1\d\d\b/.test(status)) return verdict(status);
    }
  });
};
