import { dnsCheck, dnsQuestion } from '../../../src/health/services/dns';
import { decodeResponse, encodeQuery, reverseName } from '../../../src/health/services/dns-wire';
import { startDnsmasq, type DnsmasqServer } from '../../support/daemons/dnsmasq';
import { descendants } from '../../support/leaks';
import { makeSpec, never } from './spec-fixture';

describe('dns wire', () => {
  it('encodes a query byte for byte', () => {
    expect(encodeQuery(0x1234, 'a.bc', 'A').toString('hex')).toBe(
      '123401000001000000000000' + '0161026263' + '00' + '00010001',
    );
  });
  it('decodes answers: AAAA in RFC 5952 form, PTR without the final dot, id, TC and RCODE', () => {
    const aaaa = Buffer.from(
      '12348380000100020000000003777777047465737400001c0001c00c001c000100000000001020010db8000000000000000000000010' +
        'c00c001c000100000000001000000000000000000000ffff7f000001',
      'hex',
    );
    expect(decodeResponse(aaaa)).toEqual({
      id: 0x1234,
      truncated: true,
      rcode: 'NOERROR',
      answers: [
        { type: 'AAAA', data: '2001:db8::10' },
        { type: 'AAAA', data: '::ffff:7f00:1' },
      ],
    });
    const ptr = Buffer.from(
      '123481830001000100000000023130013001300331323707696e2d61646472046172706100000c0001c00c000c0001000000000008037777770474657374' +
        '00',
      'hex',
    );
    expect(decodeResponse(ptr)).toMatchObject({ rcode: 'NXDOMAIN', answers: [{ type: 'PTR', data: 'www.test' }] });
  });
  it('refuses names over RFC 1035 limits before encoding, and queries as replies', () => {
    expect(() => encodeQuery(1, `${'x'.repeat(64)}.test`, 'A')).toThrow(/longer than 63 bytes/);
    expect(() => encodeQuery(1, `${'x.'.repeat(130)}test`, 'A')).toThrow(/longer than 255 bytes/);
    expect(() => decodeResponse(encodeQuery(1, 'a.bc', 'A'))).toThrow(/query, not a response/);
  });
  it('builds reverse names', () => {
    expect(reverseName('192.0.2.7')).toBe('7.2.0.192.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe(`1.${'0.'.repeat(23)}8.b.d.0.1.0.0.2.ip6.arpa`);
  });
  it('rejects a compression loop instead of spinning', () => {
    const msg = Buffer.from('000081800000000100000000c00c000100010000000000047f000001', 'hex');
    expect(() => decodeResponse(msg)).toThrow(/bad pointer|compression loop|past the end/);
  });
  it('chooses A, AAAA (receive with a colon) or PTR (request is an address)', () => {
    expect(dnsQuestion('/www.test', '')).toEqual({ name: 'www.test', type: 'A' });
    expect(dnsQuestion('/www.test', '2001:db8::')).toEqual({ name: 'www.test', type: 'AAAA' });
    expect(dnsQuestion('/127.0.0.10', 'www')).toEqual({ name: '10.0.0.127.in-addr.arpa', type: 'PTR' });
  });
});

describe('dns check against dnsmasq', () => {
  let dns: DnsmasqServer;
  beforeAll(async () => {
    dns = await startDnsmasq(
      { 'www.test': ['127.0.0.10', '2001:db8::10'] },
      { '10.2.0.192.in-addr.arpa': 'ptr-only.test' },
    );
  });
  afterAll(async () => {
    await dns?.stop();
    expect(descendants()).toEqual([]); // the daemon and everything it forked are gone
  });

  const cases: [string, 'tcp' | 'udp', string][] = [
    ['127.0.0.1', 'udp', '127.0.0.1'],
    ['127.0.0.1', 'tcp', '127.0.0.1'],
    ['::1', 'udp', '::1'],
    ['::1', 'tcp', '::1'],
  ];
  it.each(cases)('A over %s %s: up when the address matches, down on mismatch', async (address, protocol) => {
    const base = { service: 'dns' as const, port: dns.port, address, protocol, request: '/www.test' };
    const up = await dnsCheck(makeSpec({ ...base, receive: '127\\.0\\.0\\.10' }), never);
    expect(up).toMatchObject({ ok: true });
    expect(up.reason).toContain('www.test A 127.0.0.10');
    const down = await dnsCheck(makeSpec({ ...base, receive: '^10\\.9' }), never);
    expect(down.ok).toBe(false);
    expect(down.reason).toMatch(/response mismatch: 127\.0\.0\.10 does not match/);
  });

  it('AAAA when receive is an IPv6 pattern', async () => {
    const r = await dnsCheck(
      makeSpec({ service: 'dns', port: dns.port, protocol: 'udp', request: '/www.test', receive: '2001:db8::10' }),
      never,
    );
    expect(r).toMatchObject({ ok: true });
    expect(r.reason).toContain('AAAA 2001:db8::10');
  });

  it('PTR when the request is an IP address', async () => {
    const r = await dnsCheck(
      makeSpec({
        service: 'dns',
        port: dns.port,
        protocol: 'udp',
        request: '/192.0.2.10',
        receive: '^ptr-only\\.test$',
      }),
      never,
    );
    expect(r).toMatchObject({ ok: true });
  });

  it('empty receive: up when the name has a record, down on NXDOMAIN', async () => {
    const up = await dnsCheck(
      makeSpec({ service: 'dns', port: dns.port, protocol: 'udp', request: '/www.test' }),
      never,
    );
    expect(up.ok).toBe(true);
    const down = await dnsCheck(
      makeSpec({ service: 'dns', port: dns.port, protocol: 'tcp', request: '/nowhere.test' }),
      never,
    );
    expect(down.ok).toBe(false);
    expect(down.reason).toMatch(/^DNS tcp 127\.0\.0\.1:\d+: nowhere\.test A: (NXDOMAIN|REFUSED|no A record)/);
  });

  it('down with a readable reason when nothing listens (UDP port unreachable)', async () => {
    await dns.stop();
    const r = await dnsCheck(
      makeSpec({ service: 'dns', port: dns.port, protocol: 'udp', request: '/www.test', negotiatetimeout: 2 }),
      never,
    );
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/port unreachable|timed out/);
  });
});
