// virtual= / virtual6= forms, derived values (protocol, service, timeouts), fallbacks (docs/behaviour.md §2.3, §2.6, §2.8).

import type { VirtualService } from '../../src/model/config';
import { cf, errors, load, ok, short } from './helpers';

const R = 'real=192.0.2.10:80 gate';
const R6 = 'real6=[2001:db8::10]:80 gate';

async function one(globals: string, opener: string, ...lines: string[]): Promise<VirtualService> {
  return (await ok(cf(globals, opener, ...lines))).virtuals[0]!;
}

describe('virtual= forms', () => {
  test.each([
    [
      'virtual=192.0.2.1:80',
      R,
      { id: 'tcp:192.0.2.1:80', family: 'inet', protocol: 'tcp', address: '192.0.2.1', port: 80 },
    ],
    ['virtual=192.0.2.1:http', R, { id: 'tcp:192.0.2.1:80', port: 80, service: 'http' }],
    ['virtual=vip.example:443', R, { id: 'tcp:192.0.2.1:443', address: '192.0.2.1', service: 'https' }],
    ['virtual=192.0.2.1:53', R, { id: 'udp:192.0.2.1:53', protocol: 'udp', service: 'dns' }],
    ['virtual=192.0.2.1:domain', R, { id: 'udp:192.0.2.1:53', protocol: 'udp' }],
    ['virtual=7', 'real=192.0.2.10 gate', { id: 'fwm:7', protocol: 'fwm', fwmark: 7, port: 0, service: 'none' }],
    ['virtual6=[2001:db8::1]:80', R6, { id: 'tcp:[2001:db8::1]:80', family: 'inet6', address: '2001:db8::1' }],
    ['virtual6=vip.example:80', R6, { id: 'tcp:[2001:db8::1]:80', family: 'inet6' }],
    ['virtual6=9', 'real6=[2001:db8::10] gate', { id: 'fwm6:9', family: 'inet6', protocol: 'fwm', fwmark: 9 }],
  ])('%s', async (opener, real, expected) => {
    const v = await one('', opener, real);
    expect(v).toMatchObject(expected);
    if (v.fwmark !== undefined) expect(v.address).toBeUndefined();
  });

  test.each([
    // ldirectord read this as firewall mark 192 (docs/behaviour.md §5.2 #15)
    [
      'virtual=192.168.1.10',
      '1:9: E_MISSING_PORT virtual: "192.168.1.10" has no port: write ADDRESS:PORT, or a bare number for a firewall mark',
    ],
    ['virtual=[2001:db8::1]:80', '1:9: E_FAMILY virtual: cannot specify an IPv6 address here, use virtual6'],
    [
      'virtual=2001:db8::1',
      '1:9: E_BAD_ADDRESS virtual: IPv6 addresses must be written in brackets with virtual6: virtual6=[ADDRESS]:PORT',
    ],
    ['virtual6=192.0.2.1:80', '1:10: E_FAMILY virtual6: IPv4 address 192.0.2.1 in an IPv6 directive'],
    [
      'virtual6=[2001:db8::1]',
      '1:10: E_MISSING_PORT virtual6: "[2001:db8::1]" has no port: write ADDRESS:PORT, or a bare number for a firewall mark',
    ],
    ['virtual=0', '1:9: E_BAD_VALUE virtual: firewall mark must be 1..4294967295, got 0'],
    ['virtual=4294967296', '1:9: E_BAD_VALUE virtual: firewall mark must be 1..4294967295, got 4294967296'],
    ['virtual=192.0.2.1:70000', '1:19: E_BAD_PORT virtual: port must be 0..65535, got 70000'],
    ['virtual=192.0.2.1:gopherx', '1:19: E_BAD_PORT virtual: unknown service name "gopherx" for tcp'],
    ['virtual=192.0.2.1:only-udp', '1:19: E_BAD_PORT virtual: unknown service name "only-udp" for tcp'],
    [
      'virtual=nohost.example:80',
      '1:9: E_RESOLVE virtual: could not resolve host "nohost.example" to an IPv4 address (ENOTFOUND)',
    ],
    ['virtual=', '1:9: E_EMPTY_VALUE virtual needs ADDRESS:PORT or a firewall mark'],
  ])('%s', async (opener, expected) => {
    expect(await errors(cf('', opener, R))).toEqual([expected]);
  });

  test('text after the address is ignored with a warning, as ldirectord does', async () => {
    const r = await load(cf('', 'virtual=192.0.2.1:80 extra', R));
    expect(r.ok && r.config.warnings.map(short)).toEqual([
      '1:21: W_TRAILING_TEXT virtual: ignored "extra" after the address',
    ]);
  });

  test('protocol=udp with a service-name port looks the name up for udp', async () => {
    const v = await one('', 'virtual=192.0.2.1:only-udp', R, 'protocol=udp');
    expect([v.id, v.port]).toEqual(['udp:192.0.2.1:7777', 7777]);
  });

  test.each([
    [
      'virtual=7',
      'protocol=tcp',
      '2:11: E_BAD_VALUE protocol=tcp does not fit a firewall-mark virtual (use fwm or leave it out)',
    ],
    [
      'virtual=192.0.2.1:80',
      'protocol=fwm',
      '2:11: E_BAD_VALUE protocol=fwm needs a firewall-mark virtual (virtual=MARK)',
    ],
  ])('%s with %s', async (opener, line, expected) => {
    expect(await errors(cf('', opener, line))).toEqual([expected]);
  });

  test('duplicate virtual services are an error, naming the first one', async () => {
    const text = `${cf('', 'virtual=192.0.2.1:80', R)}\n${cf('', 'virtual=192.0.2.1:http', R)}`;
    expect(await errors(text)).toEqual([
      '4:1: E_DUPLICATE_VIRTUAL duplicate virtual server tcp:192.0.2.1:80 (first defined at /etc/ha.d/test.cf:1)',
    ]);
  });

  test('the same address and port with tcp and udp are two services', async () => {
    const c = await ok(`${cf('', 'virtual=192.0.2.1:80', R)}\n${cf('', 'virtual=192.0.2.1:80', R, 'protocol=udp')}`);
    expect(c.virtuals.map((v) => v.id)).toEqual(['tcp:192.0.2.1:80', 'udp:192.0.2.1:80']);
  });

  test('a virtual service without real servers is allowed (fallback only)', async () => {
    const c = await ok('virtual=192.0.2.1:80\n\tfallback=127.0.0.1:80\n');
    expect(c.virtuals[0]!.reals).toEqual([]);
  });
});

describe('derived service', () => {
  test.each([
    [21, 'ftp'],
    [25, 'smtp'],
    [80, 'http'],
    [110, 'pop'],
    [119, 'nntp'],
    [143, 'imap'],
    [389, 'ldap'],
    [443, 'https'],
    [587, 'submission'],
    [636, 'ldaps'],
    [993, 'imaps'],
    [995, 'pops'],
    [1812, 'radius'],
    [3128, 'http_proxy'],
    [3306, 'mysql'],
    [5060, 'sip'],
    [5432, 'pgsql'],
    [8080, 'none'],
  ])('port %d → %s', async (port, service) => {
    expect((await one('', `virtual=192.0.2.1:${port}`, R)).service).toBe(service);
  });

  test('port 1521 (oracle) becomes a connect check with a warning', async () => {
    const r = await load(cf('', 'virtual=192.0.2.1:1521', R));
    expect(
      r.ok && [r.config.virtuals[0]!.checktype, r.config.virtuals[0]!.service, r.config.warnings.map(short)],
    ).toEqual([
      { kind: 'connect' },
      'none',
      ['1:9: W_ORACLE_DERIVED port 1521 selects the oracle service, which is not supported: using checktype=connect'],
    ]);
  });

  test('port 1521 with checktype=external stays external, silently', async () => {
    const r = await load(cf('', 'virtual=192.0.2.1:1521', R, 'checktype=external'));
    expect(r.ok && [r.config.virtuals[0]!.checktype, r.config.warnings]).toEqual([{ kind: 'external' }, []]);
  });

  test('service=oracle is an error with advice', async () => {
    expect(await errors(cf('', 'virtual=192.0.2.1:1521', R, 'service=oracle'))).toEqual([
      '3:10: E_ORACLE_UNSUPPORTED service=oracle is not supported (no Oracle client); use checktype=connect, or checktype=external with a script',
    ]);
  });

  test('service=ftp fills login/passwd unless given (in any order)', async () => {
    const a = await one('', 'virtual=192.0.2.1:21', R);
    expect([a.login, a.passwd]).toEqual(['anonymous', 'ldirectord@director.test']);
    const b = await one('', 'virtual=192.0.2.1:2121', R, 'login="me"', 'service=ftp');
    expect([b.login, b.passwd]).toEqual(['me', 'ldirectord@director.test']);
  });

  test('service=sip fills login', async () => {
    const v = await one('', 'virtual=192.0.2.1:5060', R);
    expect([v.login, v.passwd]).toEqual(['ldirectord@director.test', '']);
  });

  test('checktype numbers (combined) and the documented checktimeoutN spelling', async () => {
    expect((await one('', 'virtual=192.0.2.1:80', R, 'checktype=3')).checktype).toEqual({ kind: 'combined', n: 3 });
    expect((await one('', 'virtual=192.0.2.1:80', R, 'checktype=checktimeout2')).checktype).toEqual({
      kind: 'combined',
      n: 2,
    });
  });
});

describe('timeout precedence (docs/behaviour.md §2.8)', () => {
  test.each([
    ['', [], 5, 30],
    ['checktimeout=3', [], 3, 3],
    ['negotiatetimeout=12', [], 12, 12],
    ['checktimeout=3\nnegotiatetimeout=12', [], 3, 12],
    ['checktimeout=3\nnegotiatetimeout=12', ['negotiatetimeout=20'], 20, 20],
    ['checktimeout=3\nnegotiatetimeout=12', ['checktimeout=7'], 7, 7],
    ['checktimeout=3\nnegotiatetimeout=12', ['checktimeout=7', 'negotiatetimeout=20'], 7, 20],
  ])('globals %j, virtual %j → checktimeout %d, negotiatetimeout %d', async (globals, lines, check, negotiate) => {
    const v = await one(globals, 'virtual=192.0.2.1:80', R, ...lines);
    expect([v.checktimeout, v.negotiatetimeout]).toEqual([check, negotiate]);
  });

  test('counts and intervals: virtual value, else global', async () => {
    const c = await ok(
      `checkcount=2\nfailurecount=3\nsuccesscount=4\ncheckinterval=5\n${cf('', 'virtual=192.0.2.1:80', R)}\n${cf('', 'virtual=192.0.2.2:80', R, 'failurecount=6', 'successcount=7', 'checkinterval=8')}`,
    );
    expect(c.virtuals.map((v) => [v.checkcount, v.failurecount, v.successcount, v.checkinterval])).toEqual([
      [2, 3, 4, 5],
      [2, 6, 7, 8],
    ]);
  });

  test('quiescent, cleanstop, email settings and fallbackcommand inherit from the globals', async () => {
    const v = await one(
      'quiescent=yes\ncleanstop=no\nemailalert=a@example.org\nemailalertfreq=60\nemailalertstatus=running\nsmtp=127.0.0.1\nfallbackcommand=/bin/sorry',
      'virtual=192.0.2.1:80',
      R,
    );
    expect(v).toMatchObject({
      quiescent: true,
      cleanstop: false,
      emailalert: ['a@example.org'],
      emailalertfreq: 60,
      emailalertstatus: ['running'],
      smtp: '127.0.0.1',
      fallbackcommand: '/bin/sorry',
    });
  });
});

describe('persistence, scheduler flags, ops', () => {
  test('netmask only counts with persistent; IPv6 takes a prefix length', async () => {
    expect((await one('', 'virtual=192.0.2.1:80', R, 'netmask=255.255.255.0')).netmask).toBeUndefined();
    const v6 = await one('', 'virtual6=[2001:db8::1]:80', R6, 'persistent=60', 'netmask=64');
    expect([v6.persistent, v6.netmask]).toEqual([60, 64]);
    expect((await one('', 'virtual6=[2001:db8::1]:80', R6, 'persistent=60')).netmask).toBe(128);
  });

  test('IPv6 netmask must be a prefix length', async () => {
    expect(await errors(cf('', 'virtual6=[2001:db8::1]:80', R6, 'persistent=60', 'netmask=255.255.255.0'))).toEqual([
      '4:10: E_BAD_VALUE netmask for an IPv6 virtual must be a prefix length 1..128, got "255.255.255.0"',
    ]);
  });

  test('persistent=0 means not persistent, with a warning', async () => {
    const r = await load(cf('', 'virtual=192.0.2.1:80', R, 'persistent=0'));
    expect(r.ok && [r.config.virtuals[0]!.persistent, r.config.warnings.map((w) => w.code)]).toEqual([
      undefined,
      ['W_PERSISTENT_ZERO'],
    ]);
  });

  test('sh-/mh- flags need their scheduler', async () => {
    expect(await errors(cf('', 'virtual=192.0.2.1:80', R, 'schedflags=sh-port'))).toEqual([
      '3:13: E_SCHEDFLAGS scheduler flag sh-port needs scheduler=sh (scheduler is wrr)',
    ]);
    expect((await one('', 'virtual=192.0.2.1:80', R, 'scheduler=mh', 'schedflags=mh-fallback,flag-3')).schedflags).toBe(
      'mh-fallback,flag-3',
    );
  });

  test('ops on a TCP service is ignored with a warning', async () => {
    const r = await load(cf('', 'virtual=192.0.2.1:80', R, 'ops=yes'));
    expect(r.ok && [r.config.virtuals[0]!.ops, r.config.warnings.map(short)]).toEqual([
      false,
      ['3:6: W_OPS_IGNORED ops=yes ignored: tcp:192.0.2.1:80 is not a UDP virtual service'],
    ]);
  });
});

describe('fallback', () => {
  test("the global fallback applies to virtuals of its family, with the virtual's port when it has none", async () => {
    const c = await ok(
      `fallback=sorry.example\nfallback6=[::1]:8080 masq\n${cf('', 'virtual=192.0.2.1:80', R)}\n${cf('', 'virtual6=[2001:db8::1]:443', R6)}`,
    );
    expect(
      c.virtuals.map(
        (v) => v.fallback && [v.fallback.family, v.fallback.address, v.fallback.port, v.fallback.forwarding],
      ),
    ).toEqual([
      ['inet', '127.0.0.9', 80, 'gate'],
      ['inet6', '::1', 8080, 'masq'],
    ]);
    expect(c.global.fallback).toMatchObject({ address: '127.0.0.9', port: 0 });
  });

  test('a per-virtual fallback overrides the global one', async () => {
    const v = await one('fallback=127.0.0.1:80', 'virtual=192.0.2.1:80', R, 'fallback=127.0.0.2:8080 masq');
    expect(v.fallback).toMatchObject({ address: '127.0.0.2', port: 8080, forwarding: 'masq' });
  });

  test('[ldirectord bug] the global fallback works for fwmark virtuals', async () => {
    const v = await one('fallback=127.0.0.1', 'virtual=7', 'real=192.0.2.10 gate');
    expect(v.fallback).toMatchObject({ address: '127.0.0.1', port: 0, forwarding: 'gate' });
  });

  test("a fallback port name resolves with the virtual's protocol", async () => {
    const v = await one('', 'virtual=192.0.2.1:53', R, 'fallback=127.0.0.1:domain');
    expect(v.fallback!.port).toBe(53);
  });

  test.each([
    [
      'fallback6=[::1]:80',
      'virtual=192.0.2.1:80',
      R,
      '3:12: E_FAMILY fallback6 is only allowed in a virtual6 section, use fallback',
    ],
    [
      'fallback=127.0.0.1:80',
      'virtual6=[2001:db8::1]:80',
      R6,
      '3:11: E_FAMILY fallback is only allowed in a virtual section, use fallback6',
    ],
    [
      'fallback=127.0.0.1:80 gate extra',
      'virtual=192.0.2.1:80',
      R,
      '3:29: E_BAD_FALLBACK fallback must be HOST[:PORT] [gate|masq|ipip], unexpected "extra"',
    ],
    [
      'fallback=127.0.0.1->127.0.0.2:80',
      'virtual=192.0.2.1:80',
      R,
      '3:11: E_BAD_ADDRESS fallback: address ranges are not allowed here',
    ],
    [
      'fallback=nohost.example:80',
      'virtual=192.0.2.1:80',
      R,
      '3:11: E_RESOLVE fallback: could not resolve host "nohost.example" to an IPv4 address (ENOTFOUND)',
    ],
  ])('%s in %s', async (line, opener, real, expected) => {
    expect(await errors(cf('', opener, real, line))).toEqual([expected]);
  });
});
