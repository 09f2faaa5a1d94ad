// The sync directives together: what needs what, what is ignored, and where each error points.

import { cf, errors, load, ok, short } from '../config/helpers';

const V = 'virtual=192.0.2.1:80';
const R = 'real=192.0.2.10:80 gate';

describe('sync daemon settings', () => {
  it('reads the pair setup: both roles, interface, id and the optional values', async () => {
    const c = await ok(
      cf(
        'syncdaemon=both\nsyncinterface=eth1\nsyncid=7\nsyncmaxlen=1400\nsyncgroup=239.1.1.1\nsyncport=8849\nsyncttl=3',
        V,
        R,
      ),
    );
    expect(c.global.syncdaemon).toEqual({
      source: { file: '/etc/ha.d/test.cf', line: 1, col: 12 },
      roles: ['master', 'backup'],
      interface: 'eth1',
      interfaceAt: { file: '/etc/ha.d/test.cf', line: 2, col: 15 },
      syncid: 7,
      maxlen: 1400,
      group: '239.1.1.1',
      port: 8849,
      ttl: 3,
    });
    expect(c.global.syncdaemonstop).toBe(false);
    expect(Object.isFrozen(c.global.syncdaemon)).toBe(true);
  });

  it('leaves sync daemons unmanaged when syncdaemon is unset, and warns about sync lines that do nothing', async () => {
    const r = await load(cf('syncinterface=eth1\nsyncid=4', V, R));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.global.syncdaemon).toBeUndefined();
    expect(r.config.warnings.map(short)).toEqual([
      '1:15: W_SYNC_UNUSED syncinterface has no effect without syncdaemon=master|backup|both',
      '2:8: W_SYNC_UNUSED syncid has no effect without syncdaemon=master|backup|both',
    ]);
  });

  it('syncdaemon=none asks for no daemon and needs no interface', async () => {
    const c = await ok(cf('syncdaemon=none', V, R));
    expect(c.global.syncdaemon?.roles).toEqual([]);
  });

  it('a role without syncinterface is an error at the syncdaemon line', async () => {
    expect(await errors(cf('checkinterval=5\nsyncdaemon=master', V, R))).toEqual([
      '2:12: E_SYNC syncdaemon=master needs syncinterface=IFNAME (the interface the sync messages use)',
    ]);
  });

  it('reports every bad sync value at once, each at its own line', async () => {
    expect(
      await errors(
        cf('syncdaemon=backup\nsyncinterface=averyveryverylongname\nsyncid=300\nsyncttl=0\nsyncgroup=ff02::zz', V, R),
      ),
    ).toEqual([
      '2:15: E_SYNC syncinterface: an interface name has 1..15 characters, got "averyveryverylongname"',
      '3:8: E_SYNC syncid must be 0..255, got 300',
      '4:9: E_BAD_INTEGER syncttl must be between 1 and 2147483647, got 0',
      '5:11: E_SYNC syncgroup must be an IPv4 (224.0.0.0/4) or IPv6 (ff00::/8) multicast address, got "ff02::zz"',
    ]);
  });

  it('accepts an IPv6 multicast group and syncid 0 (a backup with id 0 takes every id)', async () => {
    const c = await ok(cf('syncdaemon=backup\nsyncinterface=eth1\nsyncid=0\nsyncgroup=ff02::1:81', V, R));
    expect([c.global.syncdaemon?.group, c.global.syncdaemon?.syncid]).toEqual(['ff02::1:81', 0]);
  });
});
