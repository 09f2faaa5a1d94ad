// nntp, sip and simpletcp against the scripted servers of test/support/daemons/scripted.ts, and none.
import { nntpCheck } from '../../../src/health/services/nntp';
import { noneCheck } from '../../../src/health/services/none';
import { simpleTcpPayload, simpletcpCheck } from '../../../src/health/services/simpletcp';
import { optionsRequest, sipCheck } from '../../../src/health/services/sip';
import { startLineServer, startNntp, startSip, type ScriptedServer } from '../../support/daemons/scripted';
import { makeSpec, never } from './spec-fixture';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function track<T extends ScriptedServer>(p: Promise<T>): Promise<T> {
  const s = await p;
  servers.push(s);
  return s;
}

describe('nntp', () => {
  it.each(['127.0.0.1', '::1'])('up on a 200 greeting over %s', async (address) => {
    const srv = await track(startNntp('200 news.test InterNetNews server ready (posting ok)'));
    const r = await nntpCheck(makeSpec({ service: 'nntp', address, port: srv.port }), never);
    expect(r).toMatchObject({ ok: true, reason: expect.stringContaining('"200 news.test InterNetNews') });
  });
  it('down on a 502 greeting', async () => {
    const srv = await track(startNntp('502 access denied'));
    const r = await nntpCheck(makeSpec({ service: 'nntp', port: srv.port }), never);
    expect(r).toMatchObject({ ok: false, reason: `NNTP 127.0.0.1:${srv.port}: greeting: "502 access denied"` });
  });
});

describe('sip', () => {
  it('builds an OPTIONS request with the headers of RFC 3261', () => {
    const text = optionsRequest({
      transport: 'UDP',
      local: { address: '::1', port: 5062 },
      login: 'ldirectord@lb',
      token: 'abc',
    });
    expect(text.split('\r\n')).toEqual([
      'OPTIONS sip:ldirectord@lb SIP/2.0',
      'Via: SIP/2.0/UDP [::1]:5062;branch=z9hG4bKabc;rport',
      'Max-Forwards: 70',
      'To: <sip:ldirectord@lb>',
      'From: <sip:ldirectord@lb>;tag=abc',
      'Call-ID: abc@[::1]:5062',
      'CSeq: 63104 OPTIONS',
      'Contact: <sip:ldirectord@lb@[::1]:5062>',
      'Accept: application/sdp',
      'Content-Length: 0',
      '',
      '',
    ]);
  });
  const matrix = (['udp', 'tcp'] as const).flatMap((p) => ['127.0.0.1', '::1'].map((a) => [p, a] as const));
  it.each(matrix)('up on 200 OK over %s %s (after a 100 Trying)', async (protocol, address) => {
    const srv = await track(startSip({ statuses: ['100 Trying', '200 OK'] }));
    const r = await sipCheck(
      makeSpec({ service: 'sip', protocol, address, port: srv.port, login: 'probe@test' }),
      never,
    );
    expect(r).toMatchObject({ ok: true, reason: expect.stringMatching(/: SIP\/2\.0 200 OK$/) });
    expect(srv.requests[0]).toMatch(
      new RegExp(`^OPTIONS sip:probe@test SIP/2.0\r\nVia: SIP/2.0/${protocol.toUpperCase()} `),
    );
  });
  it.each(['udp', 'tcp'] as const)('down on 404 over %s', async (protocol) => {
    const srv = await track(startSip({ statuses: ['404 Not Found'] }));
    const r = await sipCheck(makeSpec({ service: 'sip', protocol, port: srv.port, login: 'probe@test' }), never);
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('OPTIONS answered "SIP/2.0 404 Not Found"') });
  });
});

describe('simpletcp', () => {
  it('turns \\n into newlines and drops the leading slash', () => {
    expect(simpleTcpPayload('/PING\\nSECOND')).toBe('PING\nSECOND');
  });
  it.each(['127.0.0.1', '::1'])(
    'up when a reply line matches receive over tcp %s; the request arrives whole',
    async (address) => {
      const srv = await track(
        startLineServer((req) => `hello\r\nstatus ${req.includes('PING') ? 'PONG' : 'what'}\r\nbye\r\n`),
      );
      const r = await simpletcpCheck(
        makeSpec({
          service: 'simpletcp',
          address,
          port: srv.port,
          request: '/PING\\nSECOND',
          receive: '^status PONG$',
        }),
        never,
      );
      expect(r).toMatchObject({ ok: true, reason: expect.stringContaining('matched "status PONG"') });
      expect(srv.requests).toEqual(['PING\nSECOND']);
    },
  );
  it('down when no line matches', async () => {
    const srv = await track(startLineServer(() => 'nope\nnever\n'));
    const r = await simpletcpCheck(
      makeSpec({ service: 'simpletcp', port: srv.port, request: '/PING', receive: 'PONG' }),
      never,
    );
    expect(r).toMatchObject({
      ok: false,
      reason: `SIMPLETCP tcp 127.0.0.1:${srv.port}: no reply line matches /PONG/; first line "nope"`,
    });
  });
  it('empty receive: up on any reply, down on none', async () => {
    const talker = await track(startLineServer(() => 'anything\n'));
    expect((await simpletcpCheck(makeSpec({ service: 'simpletcp', port: talker.port }), never)).ok).toBe(true);
    const mute = await track(startLineServer(() => ''));
    const r = await simpletcpCheck(makeSpec({ service: 'simpletcp', port: mute.port }), never);
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('connection closed without a reply') });
  });
  it('over udp when the virtual is udp', async () => {
    const srv = await track(startLineServer((req) => `got ${req}\n`));
    const r = await simpletcpCheck(
      makeSpec({ service: 'simpletcp', protocol: 'udp', port: srv.udpPort, request: '/PING', receive: '^got PING' }),
      never,
    );
    expect(r).toMatchObject({ ok: true });
  });
  it('a bad receive pattern is a readable down, not a crash', async () => {
    const srv = await track(startLineServer(() => 'x\n'));
    const r = await simpletcpCheck(makeSpec({ service: 'simpletcp', port: srv.port, receive: '([' }), never);
    expect(r).toMatchObject({
      ok: false,
      reason: expect.stringContaining('receive "([" is not a valid regular expression'),
    });
  });
});

it('none is always up without touching the network', async () => {
  expect(await noneCheck(makeSpec({ service: 'none', port: 0 }), never)).toMatchObject({ ok: true });
});
