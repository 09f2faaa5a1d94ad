// The announce directives: global defaults, per-virtual overrides, and where each error points.
import { cf, errors, ok } from '../config/helpers';

const R = 'real=192.0.2.10:80 gate';

describe('announce settings', () => {
  it('defaults: nothing announced, the default socket, next hop self', async () => {
    const c = await ok(cf('', 'virtual=192.0.2.1:80', R));
    expect(c.global.announce).toEqual({
      socket: '/var/run/ldirectord.announce.sock',
      nexthop: 'self',
      byDefault: false,
      fallback: false,
      drainMs: 2000,
    });
    expect(c.virtuals[0]?.announce).toBe(false);
  });

  it('global announce=yes is every virtual service default; a virtual service may opt out', async () => {
    const c = await ok(
      cf(
        'announce=yes\nannouncefallback=yes\nannouncesocket=/run/ld/a.sock\nannouncenexthop=192.0.2.250\nannouncedrain=5',
        'virtual=192.0.2.1:80',
        R,
      ) + cf('', 'virtual=192.0.2.2:80', R, 'announce=no', 'announcefallback=no'),
    );
    expect(c.global.announce).toEqual({
      socket: '/run/ld/a.sock',
      nexthop: '192.0.2.250',
      byDefault: true,
      fallback: true,
      drainMs: 5000,
    });
    expect(c.virtuals.map((v) => [v.announce, v.announcefallback])).toEqual([
      [true, true],
      [false, false],
    ]);
  });

  it('a relative socket path and a next hop that is no address are errors at their lines', async () => {
    expect(
      await errors(
        cf('checkinterval=5\nannouncesocket=run/a.sock\nannouncenexthop=router1', 'virtual=192.0.2.1:80', R),
      ),
    ).toEqual([
      '2:16: E_ANNOUNCE announcesocket must be an absolute path, got "run/a.sock"',
      '3:17: E_ANNOUNCE announcenexthop must be self or an IP address, got "router1"',
    ]);
  });
});
