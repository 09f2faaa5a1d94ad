import { targetId, targetLister, targetsFor, SERVICE_PORTS } from '../../src/health/spec';
import type { Config, VirtualService } from '../../src/model/config';
import { real, virtual as fixtureVirtual } from '../reconcile/support/fixtures';

/** A virtual 127.0.0.100:80 with this file's check defaults, changed by `extra`. */
function virtual(extra: Partial<VirtualService>): VirtualService {
  return fixtureVirtual('127.0.0.100', 80, [], {
    checkcommand: '',
    failurecount: 3,
    successcount: 2,
    login: 'u',
    passwd: 'p',
    quiescent: true,
    emailalertstatus: [],
    ...extra,
  });
}

function config(virtuals: VirtualService[]): Config {
  return { file: 'ldirectord.cf', global: {} as Config['global'], virtuals, warnings: [] };
}

test('one target per virtual × real, with ids, interval, thresholds and spec fields', () => {
  const v = virtual({
    reals: [real('127.0.0.5', 8080), real('127.0.0.6', 8080, { request: '/alive', receive: 'yes' })],
    virtualhost: 'www.test',
  });
  const [a, b] = targetsFor(config([v]));
  expect(a).toEqual({
    id: 'tcp:127.0.0.100:80|127.0.0.5:8080',
    intervalMs: 10000,
    failurecount: 3,
    successcount: 2,
    spec: {
      checktype: { kind: 'negotiate' },
      service: 'http',
      protocol: 'tcp',
      family: 'inet',
      address: '127.0.0.5',
      port: 8080,
      realPort: 8080,
      virtualAddress: '127.0.0.100',
      virtualPort: 80,
      request: '/',
      receive: '',
      httpmethod: 'GET',
      virtualhost: 'www.test',
      login: 'u',
      passwd: 'p',
      database: '',
      secret: '',
      checkcommand: '',
      checktimeout: 5,
      negotiatetimeout: 30,
      checkcount: 1,
      tlsVerify: true,
    },
  });
  expect([b?.spec.request, b?.spec.receive]).toEqual(['/alive', 'yes']);
});

test('check port: checkport, else the real port, else the service default', () => {
  const t = (v: Partial<VirtualService>, port: number) =>
    targetsFor(config([virtual({ ...v, reals: [real('127.0.0.5', port)] })]))[0]?.spec.port;
  expect(t({ checkport: 9000 }, 8080)).toBe(9000);
  expect(t({}, 8080)).toBe(8080);
  expect(t({ service: 'mysql', fwmark: 3, address: undefined, port: 0, id: 'fwm:3' }, 0)).toBe(3306);
  expect(t({ service: 'none' }, 0)).toBe(0);
  expect(SERVICE_PORTS.https).toBe(443);
});

test('checktype on/off become forced targets; fwmark and tlsVerify are carried', () => {
  const on = targetsFor(config([virtual({ checktype: { kind: 'on' }, reals: [real('127.0.0.5', 80)] })]), {
    tlsVerify: false,
  })[0];
  expect(on?.forced).toBe('up');
  expect(on?.spec.tlsVerify).toBe(false);
  const off = targetsFor(config([virtual({ checktype: { kind: 'off' }, reals: [real('127.0.0.5', 80)] })]))[0];
  expect(off?.forced).toBe('down');
  const fw = targetsFor(
    config([virtual({ id: 'fwm:7', fwmark: 7, address: undefined, port: 0, reals: [real('127.0.0.5', 0)] })]),
  )[0];
  expect([fw?.id, fw?.spec.fwmark, fw?.spec.virtualAddress]).toEqual(['fwm:7|127.0.0.5:0', 7, undefined]);
});

test('targetLister: a virtual seen before keeps its very targets; a new or changed one gets new ones', () => {
  const same = virtual({ reals: [real('127.0.0.5', 80), real('127.0.0.6', 80)] });
  const before = virtual({ id: 'tcp:127.0.0.101:80', address: '127.0.0.101', reals: [real('127.0.0.7', 80)] });
  const after = { ...before, reals: [real('127.0.0.7', 80, { weight: 5 })] };
  const list = targetLister();
  const first = list(config([same, before]));
  const second = list(config([same, after]));
  expect(second).toEqual(targetsFor(config([same, after])));
  expect(second[0]).toBe(first[0]);
  expect(second[1]).toBe(first[1]);
  expect(second[2]).not.toBe(first[2]);
});

test('a target id is made once per real server and stays right when the same real object meets another virtual', () => {
  const r = real('127.0.0.5', 8080);
  const v80 = fixtureVirtual('127.0.0.1', 80, [r]);
  const v8 = fixtureVirtual('127.0.0.1', 8, [r]);
  expect(targetId(v80, r)).toBe('tcp:127.0.0.1:80|127.0.0.5:8080');
  expect(targetId(v80, r)).toBe('tcp:127.0.0.1:80|127.0.0.5:8080');
  // v8's id is a prefix of v80's: the remembered id must not be taken for v8's.
  expect(targetId(v8, r)).toBe('tcp:127.0.0.1:8|127.0.0.5:8080');
  expect(targetId(v80, r)).toBe('tcp:127.0.0.1:80|127.0.0.5:8080');
  expect(targetId(v80, real('127.0.0.5', 8081))).toBe('tcp:127.0.0.1:80|127.0.0.5:8081');
});
