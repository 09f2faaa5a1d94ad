import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { SERVICES } from '../../../src/model/config';
import { serviceChecks } from '../../../src/health/services';
import { leakedSince, snapshotHandles } from '../../support/leaks';
import { makeSpec, never } from './spec-fixture';

describe('serviceChecks registry', () => {
  it('registers every service except the core http family and the refused oracle', () => {
    const expected = SERVICES.filter((s) => !['http', 'https', 'http_proxy', 'oracle'].includes(s)).sort();
    expect(Object.keys(serviceChecks).sort()).toEqual(expected);
    for (const s of expected) expect(typeof serviceChecks[s]).toBe('function');
  });
  it('does not register oracle or the http family', () => {
    for (const s of ['oracle', 'http', 'https', 'http_proxy'] as const) expect(serviceChecks[s]).toBeUndefined();
  });
  it('is frozen (no module-level mutable state)', () => {
    expect(Object.isFrozen(serviceChecks)).toBe(true);
  });
});

describe('UDP services against a server that never answers', () => {
  it.each([
    ['dns', { protocol: 'udp', request: '/www.test' }],
    ['radius', { login: 'u', passwd: 'p', secret: 's' }],
    ['sip', { protocol: 'udp', login: 'probe@test' }],
    ['simpletcp', { protocol: 'udp', request: '/PING' }],
  ] as const)('%s ends down at its timeout and leaks nothing', async (service, over) => {
    const before = snapshotHandles();
    const silent = createSocket('udp4');
    let received = 0;
    silent.on('message', () => (received += 1));
    silent.bind(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const r = await serviceChecks[service]!(
        makeSpec({ service, port: silent.address().port, negotiatetimeout: 1, checktimeout: 1, ...over }),
        never,
      );
      expect(r).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/^[A-Z]+( udp)? 127\.0\.0\.1:\d+: timed out after 1 s$/),
      });
      expect(received).toBe(1);
    } finally {
      silent.close();
    }
    expect(await leakedSince(before)).toEqual([]);
  });
});

describe('bad input', () => {
  it('every registered check refuses port 0 (a fwmark real without checkport) with a readable reason, touching nothing', async () => {
    const before = snapshotHandles();
    for (const [service, check] of Object.entries(serviceChecks)) {
      if (service === 'none') continue;
      const r = await check(
        makeSpec({
          service: service as 'smtp',
          port: 0,
          login: 'u',
          passwd: 'p',
          secret: 's',
          request: '/x',
          negotiatetimeout: 1,
          checktimeout: 1,
        }),
        never,
      );
      expect({ service, ok: r.ok }).toEqual({ service, ok: false });
      expect(r.reason).toMatch(/^[A-Z]+( tcp| udp)? 127\.0\.0\.1:0: no port to check \(port 0\); set checkport$/);
    }
    expect(await leakedSince(before)).toEqual([]);
  });
});
