// radius: an Access-Request (User-Name = login, User-Password hidden with the secret, Message-Authenticator)
// to the real server over UDP, whatever the virtual's protocol. Up on an authenticated Access-Accept only.
// Bounded by checktimeout, as in ldirectord.

import { randomBytes, randomInt } from 'node:crypto';
import type { Check } from '../types';
import { openDatagram } from './datagram';
import { hostPort, probe, ProbeFailure } from './probe';
import { decodeResponse, encodeAccessRequest, RADIUS_CODE, RadiusWireError } from './radius-wire';

const NAMES: Record<number, string> = { 2: 'Access-Accept', 3: 'Access-Reject', 11: 'Access-Challenge' };

export const radiusCheck: Check = (spec, signal) =>
  probe(
    `RADIUS ${hostPort(spec.address, spec.port)}`,
    spec,
    signal,
    async (ctx) => {
      if (spec.secret === '') throw new ProbeFailure('no secret= configured');
      const id = randomInt(0, 256);
      const authenticator = randomBytes(16);
      let packet: Buffer;
      try {
        packet = encodeAccessRequest({
          id,
          authenticator,
          user: spec.login,
          password: spec.passwd,
          secret: spec.secret,
          nasIdentifier: 'ldirectord',
        });
      } catch (err) {
        throw new ProbeFailure(`cannot build Access-Request: ${(err as Error).message}`);
      }
      const ch = await openDatagram(ctx, spec.address, spec.port);
      ch.send(packet);
      for (;;) {
        const reply = await ch.receive('Access-Accept');
        if (reply.length < 2 || reply[1] !== id) continue;
        let res;
        try {
          res = decodeResponse(reply, authenticator, spec.secret);
        } catch (err) {
          if (err instanceof RadiusWireError) throw new ProbeFailure(`bad reply: ${err.message}`);
          throw err;
        }
        const name = NAMES[res.code] ?? `code ${res.code}`;
        const text = `${name} for ${spec.login}${res.message ? `: ${res.message}` : ''}`;
        if (res.code !== RADIUS_CODE.AccessAccept) throw new ProbeFailure(text);
        return text;
      }
    },
    spec.checktimeout,
  );
