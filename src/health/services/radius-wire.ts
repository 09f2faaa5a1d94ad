// RADIUS Access-Request / response (RFC 2865 §3, §5.2; Message-Authenticator RFC 3579 §3.2).
//
//  Code(8) | Identifier(8) | Length(16) | Authenticator(16 bytes) | attributes: Type(8) Length(8) Value…
//
//  User-Password: the password padded with NULs to a multiple of 16; c1 = p1 ⊕ MD5(secret ‖ RA),
//  ci = pi ⊕ MD5(secret ‖ c(i-1)).
//  Response Authenticator = MD5(Code ‖ ID ‖ Length ‖ RequestAuth ‖ Attributes ‖ secret).
//  Message-Authenticator = HMAC-MD5(secret, packet with the attribute's value zeroed).

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const RADIUS_CODE = { AccessRequest: 1, AccessAccept: 2, AccessReject: 3, AccessChallenge: 11 } as const;
const ATTR = { UserName: 1, UserPassword: 2, NasIdentifier: 32, MessageAuthenticator: 80, ReplyMessage: 18 } as const;

export class RadiusWireError extends Error {
  readonly code = 'RADIUS_WIRE';
}

function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

function attribute(type: number, value: Buffer): Buffer {
  if (value.length > 253) throw new RadiusWireError(`attribute ${type} longer than 253 bytes`);
  return Buffer.concat([Buffer.from([type, value.length + 2]), value]);
}

export function hidePassword(password: string, secret: string, authenticator: Buffer): Buffer {
  const plain = Buffer.from(password, 'utf8');
  const padded = Buffer.alloc(Math.max(16, Math.ceil(plain.length / 16) * 16));
  plain.copy(padded);
  if (padded.length > 128) throw new RadiusWireError('password longer than 128 bytes');
  const out = Buffer.alloc(padded.length);
  let previous = authenticator;
  for (let i = 0; i < padded.length; i += 16) {
    const key = md5(Buffer.from(secret, 'utf8'), previous);
    for (let j = 0; j < 16; j++) out[i + j] = padded[i + j]! ^ key[j]!;
    previous = out.subarray(i, i + 16);
  }
  return out;
}

export interface AccessRequest {
  readonly id: number;
  readonly authenticator: Buffer;
  readonly user: string;
  readonly password: string;
  readonly secret: string;
  readonly nasIdentifier: string;
}

export function encodeAccessRequest(req: AccessRequest): Buffer {
  const attrs = Buffer.concat([
    attribute(ATTR.UserName, Buffer.from(req.user, 'utf8')),
    attribute(ATTR.UserPassword, hidePassword(req.password, req.secret, req.authenticator)),
    attribute(ATTR.NasIdentifier, Buffer.from(req.nasIdentifier, 'utf8')),
    attribute(ATTR.MessageAuthenticator, Buffer.alloc(16)),
  ]);
  const packet = Buffer.concat([Buffer.alloc(4), req.authenticator, attrs]);
  packet[0] = RADIUS_CODE.AccessRequest;
  packet[1] = req.id;
  packet.writeUInt16BE(packet.length, 2);
  const mac = createHmac('md5', Buffer.from(req.secret, 'utf8')).update(packet).digest();
  mac.copy(packet, packet.length - 16);
  return packet;
}

export interface RadiusResponse {
  readonly code: number;
  readonly id: number;
  /** Reply-Message text, if any. */
  readonly message: string;
}

/** Decodes a response to `request` and checks its Response Authenticator against the secret. */
export function decodeResponse(packet: Buffer, requestAuthenticator: Buffer, secret: string): RadiusResponse {
  if (packet.length < 20) throw new RadiusWireError(`packet of ${packet.length} bytes is shorter than a header`);
  const length = packet.readUInt16BE(2);
  if (length < 20 || length > packet.length) throw new RadiusWireError(`bad length field ${length}`);
  const body = packet.subarray(0, length);
  const expected = md5(body.subarray(0, 4), requestAuthenticator, body.subarray(20), Buffer.from(secret, 'utf8'));
  if (!timingSafeEqual(expected, body.subarray(4, 20))) {
    throw new RadiusWireError('response authenticator does not verify (wrong secret?)');
  }
  const messages: string[] = [];
  for (let pos = 20; pos < length;) {
    const type = body[pos];
    const len = body[pos + 1];
    if (type === undefined || len === undefined || len < 2 || pos + len > length) {
      throw new RadiusWireError('malformed attribute');
    }
    if (type === ATTR.ReplyMessage) messages.push(body.subarray(pos + 2, pos + len).toString('utf8'));
    pos += len;
  }
  return { code: body[0]!, id: body[1]!, message: messages.join(' ') };
}
