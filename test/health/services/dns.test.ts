import { dnsCheck, dnsQuestion } from '../../../src/health/services/dns';
import { decodeResponse, encodeQuery, formatIPv6, reverseName } from '../../../src/health/services/dns-wire';
import { startDnsmasq, type DnsmasqServer } from '../../support/daemons/dnsmasq';
import { descendants } from '../../support/leaks';
import { makeSpec, never } from './spec-fixture';

describe('dns wire', () => {
  it('encodes a query byte for byte', () => {
    expect(encodeQuery(0x1234, 'a.bc', 'A').toString('hex')).toBe(
      '123401000001000000000000' + '0161026263' + '00' + '00010001',
    );
  });
  it('formats IPv6 addresses in RFC 5952 form', () => {
    const b = Buffer.alloc(16);
    b.writeUInt16BE(0x2001, 0);
    b.writeUInt16BE(0xdb8, 2);
    b.writeUInt16BE(1, 14);
    expect(formatIPv6(b)).toBe('2001:db8::1');
    expect(formatIPv6(Buffer.alloc(16))).toBe('::');
  });
  it('builds reverse names', () => {
    expect(reverseName('192.0.2.7')).toBe('7.2.0.192.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe(`1.${'0.'.repeat(23)}8.b.d.0.1.0.0.2.ip6.arpa`);
  });
  it('rejects a compression loop instead of spinning', () => {
    const msg = Buffer.from('000081800000000100000000c00c000100010000000000047f000001', 'hex');
    expect(() => decodeResponse(msg)).toThrow(/compression loop|past the end/);
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
