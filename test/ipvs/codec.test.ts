// Codec pieces on hand-built bytes: addresses, attributes, framing, stats widths, byte orders.

import { addressBytes, canonicalAddress, formatIpv6, parseIpv4, parseIpv6 } from '../../src/ipvs/codec/address';
import { encodeAttrs, getNested, nest, parseAttrs, str, u16, u32 } from '../../src/ipvs/codec/attrs';
import { DEST_ATTR, STATS_ATTR, SVC_ATTR } from '../../src/ipvs/codec/constants';
import { decodeWireDest, destToWire, encodeWireDest, wireToDest } from '../../src/ipvs/codec/dest';
import { encodeRequestPayload, requests } from '../../src/ipvs/codec/messages';
import { encodeNlMessage, parseNlMessages } from '../../src/ipvs/codec/netlink';
import { decodeWireService, encodeWireService, serviceToWire, wireToService } from '../../src/ipvs/codec/service';
import type { IpvsService } from '../../src/ipvs/types';

const F = { persistent: false, onePacket: false, sched1: false, sched2: false, sched3: false };

describe('addresses', () => {
  it.each([
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fd00::', 'fd00::'],
    ['::', '::'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['[fe80::1]', 'fe80::1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:0:3:4:5:6:7:8', '1:0:3:4:5:6:7:8'],
  ])('canonical IPv6 %s → %s', (input, out) => {
    expect(canonicalAddress('inet6', input)).toBe(out);
  });

  it.each(['1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', '1:2:3:4:5:6:7', '::1.2.3', '12345::'])('rejects IPv6 %s', (bad) => {
    expect(parseIpv6(bad)).toBeUndefined();
  });

  it.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '01234.1.1.1', 'a.b.c.d', ''])('rejects IPv4 %s', (bad) => {
    expect(parseIpv4(bad)).toBeUndefined();
  });

  it('stores IPv4 in the first 4 of 16 bytes and names bad input', () => {
    expect(addressBytes('inet', '10.1.2.3').toString('hex')).toBe('0a010203000000000000000000000000');
    expect(() => addressBytes('inet', '10.1.2')).toThrow(
      expect.objectContaining({ code: 'IPVS_BAD_ADDRESS', message: expect.stringContaining('"10.1.2"') }),
    );
    expect(formatIpv6(Buffer.alloc(16))).toBe('::');
  });
});

describe('attributes and framing', () => {
  it('pads to 4 bytes, counts the unpadded length, nests, and parses back', () => {
    const buf = encodeAttrs([str(6, 'rr'), nest(1, [u16(1, 2), u32(5, 7)])]);
    expect(buf.toString('hex')).toBe('070006007272000014000100060001000200000008000500' + '07000000');
    const m = parseAttrs(buf, 'test');
    expect(m.get(6)?.toString()).toBe('rr\0');
    expect(getNested(m, 1, 'test')?.get(5)?.readUInt32LE(0)).toBe(7);
  });

  it('rejects an attribute that runs past its buffer, naming where', () => {
    expect(() => parseAttrs(Buffer.from('0900060072720000', 'hex'), 'service reply')).toThrow(
      expect.objectContaining({ code: 'IPVS_BAD_MESSAGE', message: expect.stringContaining('service reply') }),
    );
  });

  it('splits several messages out of one datagram and rejects a truncated one', () => {
    const a = encodeNlMessage({ type: 28, flags: 5, seq: 1, pid: 0, payload: Buffer.from([1, 1, 0, 0, 9]) });
    const b = encodeNlMessage({ type: 28, flags: 5, seq: 2, pid: 0, payload: Buffer.from([2, 1, 0, 0]) });
    expect(a.length).toBe(24);
    expect(parseNlMessages(Buffer.concat([a, b])).map((m) => [m.seq, m.payload.length])).toEqual([
      [1, 5],
      [2, 4],
    ]);
    expect(() => parseNlMessages(a.subarray(0, 20))).toThrow(expect.objectContaining({ code: 'IPVS_BAD_MESSAGE' }));
  });
});

describe('service and destination attributes', () => {
  it('writes the v4 netmask big-endian, the v6 prefix host-order, and accepts a v4 prefix length', () => {
    const v4: IpvsService = {
      family: 'inet',
      protocol: 'tcp',
      address: '10.0.0.1',
      port: 80,
      scheduler: 'rr',
      flags: F,
      timeout: 0,
      netmask: 24,
    };
    const v6: IpvsService = {
      family: 'inet6',
      protocol: 'tcp',
      address: 'fd00::1',
      port: 80,
      scheduler: 'rr',
      flags: F,
      timeout: 0,
      netmask: 64,
    };
    const mask = (s: IpvsService): string =>
      parseAttrs(encodeAttrs(encodeWireService(serviceToWire(s))), 't')
        .get(SVC_ATTR.NETMASK)
        ?.toString('hex') ?? '';
    expect(mask(v4)).toBe('ffffff00');
    expect(mask(v6)).toBe('40000000');
  });

  it('masks HASHED (0x2) and unknown bits out of reply flags', () => {
    const flags = Buffer.alloc(8);
    flags.writeUInt32LE(0x2 | 0x1 | 0x100, 0);
    flags.writeUInt32LE(0xffffffff, 4);
    const attrs = encodeAttrs([
      u16(SVC_ATTR.AF, 2),
      u32(SVC_ATTR.FWMARK, 5),
      str(SVC_ATTR.SCHED_NAME, 'rr'),
      { type: SVC_ATTR.FLAGS, value: flags },
      u32(SVC_ATTR.TIMEOUT, 300),
      { type: SVC_ATTR.NETMASK, value: Buffer.from('ffffffff', 'hex') },
    ]);
    const s = wireToService(decodeWireService(parseAttrs(attrs, 't'), 't'), 't');
    expect(s).toEqual({
      family: 'inet',
      fwmark: 5,
      scheduler: 'rr',
      flags: { ...F, persistent: true },
      timeout: 300,
      netmask: '255.255.255.255',
    });
  });

  it('prefers STATS64 and reads the 32-bit STATS widths (u32 counters, u64 bytes)', () => {
    const u64 = (type: number, v: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(v);
      return { type, value: b };
    };
    const stats32 = nest(SVC_ATTR.STATS, [u32(STATS_ATTR.CONNS, 7), u64(STATS_ATTR.INBYTES, 1n << 40n)]);
    const base = [
      u16(SVC_ATTR.AF, 2),
      u32(SVC_ATTR.FWMARK, 5),
      str(SVC_ATTR.SCHED_NAME, 'rr'),
      { type: SVC_ATTR.FLAGS, value: Buffer.alloc(8) },
      u32(SVC_ATTR.TIMEOUT, 0),
      u32(SVC_ATTR.NETMASK, 0),
    ];
    const only32 = wireToService(decodeWireService(parseAttrs(encodeAttrs([...base, stats32]), 't'), 't'), 't');
    expect(only32.stats).toMatchObject({ conns: 7n, inBytes: 1n << 40n, outBytes: 0n });
    const both = wireToService(
      decodeWireService(
        parseAttrs(encodeAttrs([...base, stats32, nest(SVC_ATTR.STATS64, [u64(STATS_ATTR.CONNS, 1n << 33n)])]), 't'),
        't',
      ),
      't',
    );
    expect(both.stats?.conns).toBe(1n << 33n);
  });

  it("sends tunnel attributes only for tunnel forwarding, and a negative weight as two's complement", () => {
    const types = (d: Parameters<typeof destToWire>[0]) => encodeWireDest(destToWire(d)).map((a) => a.type);
    const base = {
      family: 'inet' as const,
      address: '10.0.0.2',
      port: 80,
      weight: -1,
      upperThreshold: 0,
      lowerThreshold: 0,
    };
    expect(types({ ...base, forwarding: 'masq', tunnel: { type: 'gue', port: 1, csum: 'csum' } })).toEqual([
      DEST_ATTR.ADDR_FAMILY,
      DEST_ATTR.ADDR,
      DEST_ATTR.PORT,
      DEST_ATTR.FWD_METHOD,
      DEST_ATTR.WEIGHT,
      DEST_ATTR.U_THRESH,
      DEST_ATTR.L_THRESH,
    ]);
    expect(types({ ...base, forwarding: 'tunnel' })).toContain(DEST_ATTR.TUN_TYPE);
    const m = parseAttrs(encodeAttrs(encodeWireDest(destToWire({ ...base, forwarding: 'route' }))), 't');
    expect(m.get(DEST_ATTR.WEIGHT)?.toString('hex')).toBe('ffffffff');
    expect(decodeWireDest(m, 't').weight).toBe(-1);
    expect(m.get(DEST_ATTR.PORT)?.toString('hex')).toBe('0050');
  });
});

describe('short address attributes', () => {
  it('an IPv6 service or destination address under 16 bytes is IPVS_BAD_MESSAGE, not a read past the buffer', () => {
    const svc = encodeAttrs([
      u16(SVC_ATTR.AF, 10),
      u16(SVC_ATTR.PROTOCOL, 6),
      { type: SVC_ATTR.ADDR, value: Buffer.alloc(4) },
      { type: SVC_ATTR.PORT, value: Buffer.from([0, 80]) },
      str(SVC_ATTR.SCHED_NAME, 'rr'),
      { type: SVC_ATTR.FLAGS, value: Buffer.alloc(8) },
      u32(SVC_ATTR.TIMEOUT, 0),
      u32(SVC_ATTR.NETMASK, 128),
    ]);
    expect(() => wireToService(decodeWireService(parseAttrs(svc, 't'), 't'), 't')).toThrow(
      expect.objectContaining({ code: 'IPVS_BAD_MESSAGE' }),
    );
    const dest = encodeAttrs([
      u16(DEST_ATTR.ADDR_FAMILY, 10),
      { type: DEST_ATTR.ADDR, value: Buffer.alloc(8) },
      { type: DEST_ATTR.PORT, value: Buffer.from([0, 80]) },
      u32(DEST_ATTR.FWD_METHOD, 0),
      u32(DEST_ATTR.WEIGHT, 1),
      u32(DEST_ATTR.U_THRESH, 0),
      u32(DEST_ATTR.L_THRESH, 0),
    ]);
    expect(() => wireToDest(decodeWireDest(parseAttrs(dest, 't'), 't'), 'inet', 't')).toThrow(
      expect.objectContaining({ code: 'IPVS_BAD_MESSAGE' }),
    );
  });
});

describe('the message diagram at the top of src/ipvs/codec/index.ts', () => {
  it('is exactly what NEW_DEST encodes to', () => {
    const payload = encodeRequestPayload(
      requests.newDest(
        { family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80 },
        {
          family: 'inet',
          address: '10.0.0.2',
          port: 80,
          forwarding: 'masq',
          weight: 5,
          upperThreshold: 0,
          lowerThreshold: 0,
        },
      ),
      1,
    );
    const hex = encodeNlMessage({ type: 28, flags: 5, seq: 1, pid: 0, payload }).toString('hex');
    expect(hex).toBe(
      [
        '8c000000',
        '1c00',
        '0500',
        '01000000',
        '00000000',
        '05010000',
        '30000100',
        '0600010002000000',
        '0600020006000000',
        '140003000a000001' + '00'.repeat(12),
        '0600040000500000',
        '48000200',
        '06000b0002000000',
        '140001000a000002' + '00'.repeat(12),
        '0600020000500000',
        '0800030000000000',
        '0800040005000000',
        '0800050000000000',
        '0800060000000000',
      ].join(''),
    );
  });
});
