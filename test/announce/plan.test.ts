import { planAnnouncements, prefixOrder, type ServiceState } from '../../src/announce/plan';

const svc = (o: Partial<ServiceState> & { vid: string; address?: string }): ServiceState => ({
  family: o.address?.includes(':') === true ? 'inet6' : 'inet',
  announce: true,
  healthyReals: 1,
  fallbackServing: false,
  announceFallback: false,
  tableAgrees: true,
  ...o,
});

describe('planAnnouncements', () => {
  it('announces every prefix whose services all serve, IPv4 first, with its reason', () => {
    const plan = planAnnouncements({
      running: true,
      services: [
        svc({ vid: 'tcp:2001:db8::1:80', address: '2001:db8::1' }),
        svc({ vid: 'tcp:10.0.0.2:80', address: '10.0.0.2' }),
        svc({ vid: 'tcp:10.0.0.1:80', address: '10.0.0.1' }),
      ],
    });
    expect(plan).toEqual({
      routes: ['10.0.0.1/32', '10.0.0.2/32', '2001:db8::1/128'],
      verdicts: [
        { prefix: '10.0.0.1/32', announce: true, reason: 'serving' },
        { prefix: '10.0.0.2/32', announce: true, reason: 'serving' },
        { prefix: '2001:db8::1/128', announce: true, reason: 'serving' },
      ],
    });
  });

  it('withdraws a prefix when one of the services on it has no healthy real server', () => {
    const plan = planAnnouncements({
      running: true,
      services: [
        svc({ vid: 'tcp:10.0.0.1:80', address: '10.0.0.1' }),
        svc({ vid: 'tcp:10.0.0.1:443', address: '10.0.0.1', healthyReals: 0 }),
        svc({ vid: 'tcp:10.0.0.2:80', address: '10.0.0.2', healthyReals: 3 }),
      ],
    });
    expect(plan.routes).toEqual(['10.0.0.2/32']);
    expect(plan.verdicts[0]).toEqual({
      prefix: '10.0.0.1/32',
      announce: false,
      reason: 'no healthy real server (tcp:10.0.0.1:443)',
    });
  });

  it('announces on the fallback only with announcefallback=yes', () => {
    const on = svc({ vid: 'a', address: '10.0.0.1', healthyReals: 0, fallbackServing: true, announceFallback: true });
    const off = svc({ vid: 'b', address: '10.0.0.2', healthyReals: 0, fallbackServing: true });
    const plan = planAnnouncements({ running: true, services: [on, off] });
    expect(plan.verdicts).toEqual([
      { prefix: '10.0.0.1/32', announce: true, reason: 'serving (fallback)' },
      { prefix: '10.0.0.2/32', announce: false, reason: 'only the fallback serves and announcefallback=no (b)' },
    ]);
  });

  it('withdraws a service whose kernel table disagrees, even with healthy reals', () => {
    const plan = planAnnouncements({
      running: true,
      services: [svc({ vid: 'a', address: '10.0.0.1', healthyReals: 5, tableAgrees: false })],
    });
    expect(plan).toEqual({
      routes: [],
      verdicts: [{ prefix: '10.0.0.1/32', announce: false, reason: 'kernel table disagrees with the plan (a)' }],
    });
  });

  it('withdraws everything when the director is stopped', () => {
    const plan = planAnnouncements({ running: false, services: [svc({ vid: 'a', address: '10.0.0.1' })] });
    expect(plan).toEqual({
      routes: [],
      verdicts: [{ prefix: '10.0.0.1/32', announce: false, reason: 'director stopped' }],
    });
  });

  it('leaves out services with announce=no and firewall-mark services (no address)', () => {
    const plan = planAnnouncements({
      running: true,
      services: [
        svc({ vid: 'a', address: '10.0.0.1', announce: false }),
        svc({ vid: 'fwm:7' }),
        // announce=no on one service of a VIP does not block the others on it
        svc({ vid: 'c', address: '10.0.0.3', announce: false, healthyReals: 0 }),
        svc({ vid: 'd', address: '10.0.0.3' }),
      ],
    });
    expect(plan).toEqual({
      routes: ['10.0.0.3/32'],
      verdicts: [{ prefix: '10.0.0.3/32', announce: true, reason: 'serving' }],
    });
  });

  it('orders prefixes IPv4 before IPv6, then by text', () => {
    expect(['2001:db8::1/128', '10.0.0.9/32', '10.0.0.10/32'].sort(prefixOrder)).toEqual([
      '10.0.0.10/32',
      '10.0.0.9/32',
      '2001:db8::1/128',
    ]);
  });
});
