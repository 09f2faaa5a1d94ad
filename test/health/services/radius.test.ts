import { createHash } from 'node:crypto';
import { radiusCheck } from '../../../src/health/services/radius';
import { decodeResponse, encodeAccessRequest, hidePassword } from '../../../src/health/services/radius-wire';
import { startFreeradius, type RadiusServer } from '../../support/daemons/freeradius';
import { descendants } from '../../support/leaks';
import { makeSpec, never } from './spec-fixture';

describe('radius wire', () => {
  const ra = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  it('hides a password per RFC 2865 §5.2 (one block: p XOR MD5(secret ‖ RA))', () => {
    const key = createHash('md5').update('s3cret').update(ra).digest();
    const expected = Buffer.alloc(16);
    Buffer.from('pw').copy(expected);
    for (let i = 0; i < 16; i++) expected[i] = expected[i]! ^ key[i]!;
    expect(hidePassword('pw', 's3cret', ra).equals(expected)).toBe(true);
    expect(hidePassword('x'.repeat(17), 's3cret', ra)).toHaveLength(32);
  });
  it('encodes an Access-Request with its length and a Message-Authenticator last', () => {
    const p = encodeAccessRequest({
      id: 7,
      authenticator: ra,
      user: 'u',
      password: 'pw',
      secret: 's',
      nasIdentifier: 'n',
    });
    expect([p[0], p[1], p.readUInt16BE(2)]).toEqual([1, 7, p.length]);
    expect(p.subarray(4, 20).equals(ra)).toBe(true);
    expect([p[p.length - 18], p[p.length - 17]]).toEqual([80, 18]);
  });
  it('refuses a response whose authenticator does not verify', () => {
    const reply = Buffer.alloc(20);
    reply[0] = 2;
    reply.writeUInt16BE(20, 2);
    expect(() => decodeResponse(reply, ra, 'secret')).toThrow(/wrong secret/);
  });
});

describe('radius check against freeradius', () => {
  let radius: RadiusServer;
  beforeAll(async () => {
    radius = await startFreeradius({ secret: 'testing123', user: 'probe', password: 'letmein' });
  });
  afterAll(async () => {
    await radius?.stop();
    expect(descendants()).toEqual([]); // the daemon and everything it forked are gone
  });

  it.each(['127.0.0.1', '::1'])('up on Access-Accept over %s', async (address) => {
    const r = await radiusCheck(
      makeSpec({
        service: 'radius',
        address,
        port: radius.port,
        protocol: 'udp',
        login: 'probe',
        passwd: 'letmein',
        secret: 'testing123',
      }),
      never,
    );
    expect(r).toMatchObject({ ok: true, reason: expect.stringContaining('Access-Accept for probe') });
  });

  it('down on Access-Reject for a wrong password', async () => {
    const r = await radiusCheck(
      makeSpec({ service: 'radius', port: radius.port, login: 'probe', passwd: 'nope', secret: 'testing123' }),
      never,
    );
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^RADIUS 127\.0\.0\.1:\d+: Access-Reject for probe/);
  });

  it('down on a wrong secret (server drops or the reply fails to verify), within checktimeout', async () => {
    const r = await radiusCheck(
      makeSpec({
        service: 'radius',
        port: radius.port,
        login: 'probe',
        passwd: 'letmein',
        secret: 'wrong',
        checktimeout: 1,
      }),
      never,
    );
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/timed out after 1 s|wrong secret|Access-Reject/);
  });

  it('down without a secret, before sending anything', async () => {
    const r = await radiusCheck(
      makeSpec({ service: 'radius', port: radius.port, login: 'probe', passwd: 'letmein' }),
      never,
    );
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('no secret= configured') });
  });
});
