// real= / real6= (docs/behaviour.md §2.5), including the fixed ldirectord defects.

import { cf, errors, load, ok, short } from './helpers';

const V = 'virtual=192.0.2.1:80';
const V6 = 'virtual6=[2001:db8::1]:80';

async function reals(...lines: string[]) {
  return (await ok(cf('', V, ...lines))).virtuals[0]!.reals;
}

describe('real=', () => {
  test('address, port, forwarding, weight, thresholds', async () => {
    const [r] = await reals('real=192.0.2.10:8080 masq 5 l:10 u:200');
    expect(r).toEqual({
      source: { file: '/etc/ha.d/test.cf', line: 2, col: 7 },
      family: 'inet',
      address: '192.0.2.10',
      port: 8080,
      forwarding: 'masq',
      weight: 5,
      lowerThreshold: 10,
      upperThreshold: 200,
    });
  });

  test('defaults: port 0, weight 1, no thresholds, no per-real request', async () => {
    const [r] = await reals('real=192.0.2.10 gate');
    expect(r).toMatchObject({ port: 0, weight: 1, lowerThreshold: 0, upperThreshold: 0 });
    expect(r!.request).toBeUndefined();
  });

  test('weight 0 is accepted', async () => {
    expect((await reals('real=192.0.2.10:80 ipip 0'))[0]!.weight).toBe(0);
  });

  test('service-name port (any protocol) and host names through the resolver', async () => {
    const [a, b] = await reals('real=web1.example:http gate', 'real=web2.example:https masq');
    expect([a!.address, a!.port, b!.address, b!.port]).toEqual(['192.0.2.11', 80, '192.0.2.12', 443]);
  });

  test('per-real request/receive, comma or space separated; a leading / is added', async () => {
    const [a, b] = await reals('real=192.0.2.10:80 gate 2 "health", "OK"', 'real=192.0.2.11:80 gate "/status" "up"');
    expect([a!.request, a!.receive, b!.request, b!.receive]).toEqual(['/health', 'OK', '/status', 'up']);
  });

  test('[ldirectord bug] a request starting with / keeps its receive string and thresholds', async () => {
    const [r] = await reals('real=192.0.2.10:80 gate 1 "/index.html", "NOPE" u:9');
    expect([r!.request, r!.receive, r!.upperThreshold]).toEqual(['/index.html', 'NOPE', 9]);
  });

  test('an absolute URL request is kept as is', async () => {
    const [r] = await reals('real=192.0.2.10:80 gate "http://127.0.0.1:8080/health", "OK"');
    expect(r!.request).toBe('http://127.0.0.1:8080/health');
  });

  test('[ldirectord bug] quoted thresholds are thresholds, with a warning', async () => {
    const r = await load(cf('', V, 'real=192.0.2.10:80 gate 1 "l:5" "u:10"'));
    expect(r.ok && [r.config.virtuals[0]!.reals[0], r.config.warnings.map(short)]).toEqual([
      expect.objectContaining({ lowerThreshold: 5, upperThreshold: 10, weight: 1 }),
      [
        '2:28: W_QUOTED_THRESHOLD real: quoted "l:5" read as a threshold, write it unquoted',
        '2:34: W_QUOTED_THRESHOLD real: quoted "u:10" read as a threshold, write it unquoted',
      ],
    ]);
    expect(r.ok && r.config.virtuals[0]!.reals[0]!.request).toBeUndefined();
  });

  test('ipvsadm\'s "-w N" spelling of the weight (published tutorials): the weight, with a warning, as ldirectord reads it', async () => {
    const r = await load(cf('', V, 'real=192.0.2.10:80 gate -w 5 l:2', 'real=192.0.2.11:80 masq -w 0'));
    expect(
      r.ok && [r.config.virtuals[0]!.reals.map((x) => [x.weight, x.lowerThreshold]), r.config.warnings.map(short)],
    ).toEqual([
      [
        [5, 2],
        [0, 0],
      ],
      [
        '2:26: W_WEIGHT_SWITCH real: "-w" ignored, the weight follows it (write "gate N")',
        '3:26: W_WEIGHT_SWITCH real: "-w" ignored, the weight follows it (write "masq N")',
      ],
    ]);
    expect(await errors(cf('', V, 'real=192.0.2.10:80 gate -w'))).not.toEqual([]);
    expect(await errors(cf('', V, 'real=192.0.2.10:80 gate 3 -w 5'))).not.toEqual([]);
  });

  test('u: before l: is accepted', async () => {
    const [r] = await reals('real=192.0.2.10:80 gate u:7 l:3');
    expect([r!.lowerThreshold, r!.upperThreshold]).toEqual([3, 7]);
  });

  test('IPv4 ranges expand to one real server per address, numerically ordered', async () => {
    const rs = await reals('real=192.0.2.8->192.0.2.11:80 gate 3');
    expect(rs.map((r) => [r.address, r.port, r.weight])).toEqual([
      ['192.0.2.8', 80, 3],
      ['192.0.2.9', 80, 3],
      ['192.0.2.10', 80, 3],
      ['192.0.2.11', 80, 3],
    ]);
  });

  test('a range across an octet boundary (ldirectord compared as strings)', async () => {
    const rs = await reals('real=192.0.2.254->192.0.3.1 gate');
    expect(rs.map((r) => r.address)).toEqual(['192.0.2.254', '192.0.2.255', '192.0.3.0', '192.0.3.1']);
  });

  test('ranges between host names', async () => {
    const rs = await reals('real=sql01->sql03:3306 gate 10');
    expect(rs.map((r) => r.address)).toEqual(['192.0.2.21', '192.0.2.22', '192.0.2.23']);
  });

  test.each([
    ['real=192.0.2.10:80', '2:20: E_BAD_REAL real: missing forwarding method after the address (gate, masq or ipip)'],
    ['real=192.0.2.10:80 bridge', '2:21: E_BAD_REAL real: forward method must be gate, masq or ipip, got "bridge"'],
    ['real=192.0.2.10:80 gate 70000', '2:26: E_BAD_REAL real: weight must be 0..65535, got 70000'],
    [
      'real=192.0.2.10:80 gate 1 garbage',
      '2:28: E_BAD_REAL real: unexpected "garbage" (expected weight, "REQUEST", "RECEIVE", l:N or u:N)',
    ],
    [
      'real=192.0.2.10:80 gate "only-request"',
      '2:7: E_BAD_REAL real: a per-real request needs its receive string too: "REQUEST", "RECEIVE"',
    ],
    ['real=192.0.2.10:80 gate "a", "b", "c"', '2:36: E_BAD_REAL real: only one "REQUEST", "RECEIVE" pair is allowed'],
    ['real=192.0.2.10:80 gate "open', '2:26: E_BAD_REAL real: unterminated quoted string'],
    ['real=192.0.2.10:99999 gate', '2:18: E_BAD_PORT real: port must be 0..65535, got 99999'],
    ['real=192.0.2.10:nosuch gate', '2:18: E_BAD_PORT real: unknown service name "nosuch"'],
    ['real=192.0.2.10:8$0 gate', '2:18: E_BAD_PORT real: invalid port "8$0"'],
    ['real=192.0.2.300:80 gate', '2:7: E_BAD_ADDRESS real: invalid IPv4 address "192.0.2.300"'],
    ['real=bad_host:80 gate', '2:7: E_BAD_ADDRESS real: invalid address "bad_host"'],
    [
      'real=unknown.example:80 gate',
      '2:7: E_RESOLVE real: could not resolve host "unknown.example" to an IPv4 address (ENOTFOUND)',
    ],
    [
      'real=v6only.example:80 gate',
      '2:7: E_RESOLVE real: could not resolve host "v6only.example" to an IPv4 address (ENOTFOUND)',
    ],
    ['real=[2001:db8::10]:80 gate', '2:7: E_FAMILY real: cannot specify an IPv6 address here, use real6'],
    ['real=2001:db8::10 gate', '2:7: E_BAD_ADDRESS real: IPv6 addresses must be written in brackets: [2001:db8::10]'],
    ['real=192.0.2.11->192.0.2.10 gate', '2:7: E_BAD_RANGE real: range 192.0.2.11->192.0.2.10 runs backwards'],
    [
      'real=10.0.0.0->10.1.0.0 gate',
      '2:7: E_BAD_RANGE real: range 10.0.0.0->10.1.0.0 has 65537 addresses (at most 65536)',
    ],
    [
      'real=192.0.2.10:80 gate u:99999999999',
      '2:26: E_BAD_REAL real: threshold must be 0..2147483647, got 99999999999',
    ],
    ['real6=[2001:db8::10]:80 gate', '2:8: E_FAMILY real6 is only allowed in a virtual6 section'],
  ])('%s', async (line, expected) => {
    expect(await errors(cf('', V, line))).toEqual([expected]);
  });
});

describe('real6=', () => {
  test('bracketed IPv6, canonical form', async () => {
    const c = await ok(cf('', V6, 'real6=[2001:DB8:0::10]:8080 masq 2 l:1 u:2'));
    expect(c.virtuals[0]!.reals[0]).toMatchObject({ family: 'inet6', address: '2001:db8::10', port: 8080, weight: 2 });
  });

  test('host names resolve to IPv6', async () => {
    const c = await ok(cf('', V6, 'real6=web1.example:80 gate'));
    expect(c.virtuals[0]!.reals[0]!.address).toBe('2001:db8::11');
  });

  test.each([
    [
      'real6=[2001:db8::10]->[2001:db8::12]:80 gate',
      '2:22: E_BAD_RANGE real6: address ranges are not supported for IPv6',
    ],
    ['real6=192.0.2.10:80 gate', '2:8: E_FAMILY real6: IPv4 address 192.0.2.10 in an IPv6 directive'],
    ['real6=[2001:db8::zz]:80 gate', '2:9: E_BAD_ADDRESS real6: invalid IPv6 address "2001:db8::zz"'],
    [
      'real=192.0.2.10:80 gate',
      '2:7: E_FAMILY real is only allowed in a virtual section, use real6 in a virtual6 section',
    ],
  ])('%s', async (line, expected) => {
    expect(await errors(cf('', V6, line))).toEqual([expected]);
  });
});

test('the same real server twice in a virtual: a warning (the kernel holds it once)', async () => {
  const r = await load(cf('', V, 'real=192.0.2.10:80 gate', 'real=192.0.2.10:8080 gate'));
  expect(r.ok && r.config.warnings.map(short)).toEqual([
    '3:7: W_DUPLICATE_REAL real server 192.0.2.10:8080 repeats the one at line 2; the kernel holds it once',
  ]);
});
