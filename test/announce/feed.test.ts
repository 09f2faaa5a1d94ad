import { encodeFeed, feedDecoder } from '../../src/announce/feed';

describe('feed wire format', () => {
  it('decodes what it encodes, fed one byte at a time', () => {
    const wire =
      encodeFeed({ routes: ['10.0.0.1/32', '2001:db8::1/128'], nexthop: 'self' }) +
      encodeFeed({ routes: [], nexthop: '192.0.2.1' });
    expect(wire).toBe(
      '{"routes":["10.0.0.1/32","2001:db8::1/128"],"nexthop":"self"}\n{"routes":[],"nexthop":"192.0.2.1"}\n',
    );
    const decode = feedDecoder();
    const items = [...wire].flatMap((c) => decode(c));
    expect(items).toEqual([
      { ok: true, message: { routes: ['10.0.0.1/32', '2001:db8::1/128'], nexthop: 'self' } },
      { ok: true, message: { routes: [], nexthop: '192.0.2.1' } },
    ]);
  });

  it.each([
    ['not JSON', 'hello\n', 'not JSON'],
    ['routes not a list', '{"routes":"10.0.0.1/32","nexthop":"self"}\n', 'routes must be a list of prefixes'],
    [
      'a route that is not a prefix',
      '{"routes":["10.0.0.1; rm -rf"],"nexthop":"self"}\n',
      'routes must be a list of prefixes',
    ],
    [
      'a command in the next hop',
      '{"routes":[],"nexthop":"self\\nannounce route 0.0.0.0/0"}\n',
      'nexthop must be self or an address',
    ],
  ])('refuses %s', (_name, line, error) => {
    const [item] = feedDecoder()(line);
    expect(item?.ok).toBe(false);
    expect(item?.ok === false ? item.error : '').toContain(error);
  });

  it('refuses a line that never ends', () => {
    const decode = feedDecoder();
    const items = decode('x'.repeat((1 << 20) + 1));
    expect(items).toEqual([{ ok: false, error: `a line longer than ${1 << 20} bytes` }]);
  });
});
