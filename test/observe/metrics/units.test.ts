// Pure parts of the metrics: reason classes, and the kernel counter cache (bounded, single-flight, TTL on an
// injected clock).
import type { IpvsClient, IpvsDestEntry, IpvsServiceEntry } from '../../../src/ipvs/types';
import { createKernelStats } from '../../../src/observe/metrics/kernel-stats';
import { reasonClass } from '../../../src/observe/metrics/reason-class';
import { zeroStats } from '../../../src/ipvs/codec/stats';
import { METRIC } from '../../../src/observe/metrics/names';
import { quietMetrics } from './support/quiet-metrics';
import { parsePrometheusText, sampleOf } from './support/prom-text';
import { syntheticKernel, syntheticSnapshot } from './support/synthetic';

describe('reason classes', () => {
  it.each([
    [true, 'HTTP GET http://10.0.0.5/: 200 OK', 'ok'],
    [false, 'HTTP GET http://10.0.0.5:80/: ECONNREFUSED', 'refused'],
    [false, 'connect 10.0.0.5:80: timed out after 5 s', 'timeout'],
    [false, 'HTTP GET http://10.0.0.5:80/: 503 Service Unavailable', 'response'],
    [false, 'HTTP GET http://10.0.0.5:80/: answer did not match "ok"', 'response'],
    [false, 'read ECONNRESET', 'reset'],
    [false, 'connect EHOSTUNREACH 10.0.0.5:80', 'unreachable'],
    [false, 'getaddrinfo ENOTFOUND db.example', 'dns'],
    [false, 'TLS handshake: certificate has expired', 'tls'],
    [false, 'Server in maintenance', 'forced'],
    [false, 'something odd', 'other'],
  ] as const)('%s %j → %s', (ok, reason, cls) => {
    expect(reasonClass(ok, reason)).toBe(cls);
  });
});

describe('kernel counters cache', () => {
  const key = { family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80 } as const;
  const svc = (port: number): IpvsServiceEntry => ({
    ...key,
    port,
    scheduler: 'wrr',
    flags: {} as IpvsServiceEntry['flags'],
    timeout: 0,
    netmask: '255.255.255.255',
    stats: { ...zeroStats(), conns: 5n },
  });
  const dest: IpvsDestEntry = {
    family: 'inet',
    address: '10.0.0.5',
    port: 80,
    forwarding: 'masq',
    weight: 2,
    upperThreshold: 0,
    lowerThreshold: 0,
    activeConns: 0,
    inactiveConns: 0,
    persistentConns: 0,
    stats: zeroStats(),
  };

  it('reads once per ttl, shares a read in flight, and lists only owned services up to the bound', async () => {
    let now = 0;
    let lists = 0;
    const listed: number[] = [];
    let release: () => void = () => undefined;
    const client: Pick<IpvsClient, 'listServices' | 'listDests'> = {
      listServices: async () => {
        lists++;
        await new Promise<void>((r) => (release = r));
        return [svc(80), svc(81), svc(82), svc(99)];
      },
      listDests: async (k) => {
        listed.push('port' in k ? k.port : 0);
        return [dest];
      },
    };
    const owned = [80, 81, 82].map((port) => ({ vid: `tcp:10.0.0.1:${port}`, key: { ...key, port } }));
    const ks = createKernelStats({ client, owned: () => owned, now: () => now, ttlMs: 1000, maxServices: 2 });
    const p = Promise.all([ks.read(), ks.read(), ks.read()]);
    release();
    const [r1, r2, r3] = await p;
    expect(lists).toBe(1);
    expect(r1).toBe(r2);
    expect(r2).toBe(r3);
    expect(listed).toEqual([80, 81]); // bounded to 2 owned services; 99 is not ours
    expect(r1.rows.map((r) => [r.vid, r.real ?? '', r.weight ?? -1])).toEqual([
      ['tcp:10.0.0.1:80', '', -1],
      ['tcp:10.0.0.1:80', '10.0.0.5:80', 2],
      ['tcp:10.0.0.1:81', '', -1],
      ['tcp:10.0.0.1:81', '10.0.0.5:80', 2],
    ]);
    now = 999;
    await ks.read();
    expect(lists).toBe(1);
    now = 1000;
    const again = ks.read();
    release();
    await again;
    expect(lists).toBe(2);
    expect(ks.reads()).toBe(2);
  });

  it('reports a failed kernel read as an error, not a crash', async () => {
    const ks = createKernelStats({
      client: {
        listServices: () => Promise.reject(Object.assign(new Error('no'), { code: 'IPVS_UNAVAILABLE' })),
        listDests: async () => [],
      },
      owned: () => [],
      now: () => 0,
    });
    expect(await ks.read()).toEqual({ rows: [], errors: 1 });
  });
});

describe('scrape-time gauges and read errors', () => {
  it('reports the sorry state, and counts failed kernel reads once per read (not per cached scrape)', async () => {
    let now = 0;
    const kernel = createKernelStats({
      client: { listServices: () => Promise.reject(new Error('EPERM')), listDests: async () => [] },
      owned: () => [],
      now: () => now,
      ttlMs: 1000,
    });
    const m = quietMetrics({
      snapshot: () => ({
        file: 'f',
        state: 'running',
        virtuals: [{ vid: 'tcp:10.0.0.1:80', label: '10.0.0.1:80', reals: [], fallbackActive: true }],
      }),
      kernel,
    });
    let f = parsePrometheusText(await m.scrape());
    expect(sampleOf(f, METRIC.fallbackActive, { virtual: 'tcp:10.0.0.1:80' }).value).toBe(1);
    expect(sampleOf(f, METRIC.statsReadErrors).value).toBe(1);
    f = parsePrometheusText(await m.scrape());
    expect(sampleOf(f, METRIC.statsReadErrors).value).toBe(1);
    now = 1000;
    f = parsePrometheusText(await m.scrape());
    expect(sampleOf(f, METRIC.statsReadErrors).value).toBe(2);
    expect(f.get(METRIC.realConns)?.samples).toEqual([]);
  });
});

describe('the strict text-format parser used by these tests', () => {
  const T = '# HELP a_total x\n# TYPE a_total counter\n';
  it.each([
    ['no trailing newline', `${T}a_total 1`, /does not end with a newline/],
    ['sample before TYPE', 'b 1\n', /sample b before its TYPE/],
    ['counter without _total', '# TYPE b counter\nb 1\n', /does not end in _total/],
    ['bad escape', `${T}a_total{l="\\x"} 1\n`, /bad escape/],
    ['unquoted label', `${T}a_total{l=x} 1\n`, /not quoted/],
    ['duplicate series', `${T}a_total{l="1"} 1\na_total{l="1"} 2\n`, /twice/],
    ['bad value', `${T}a_total one\n`, /bad value/],
    ['second TYPE', `${T}# TYPE a_total counter\n`, /second TYPE/],
    [
      'histogram not cumulative',
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
      /not ascending\/cumulative/,
    ],
    ['histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n', /no \+Inf bucket/],
  ])('rejects %s', (_what, text, err) => {
    expect(() => parsePrometheusText(text)).toThrow(err);
  });
  it('reads labels with escapes and special values', () => {
    const f = parsePrometheusText(`${T}a_total{l="q\\"\\\\\\n",m="2"} +Inf\n# TYPE g gauge\ng NaN\n`);
    expect(sampleOf(f, 'a_total', { l: 'q"\\\n' }).value).toBe(Infinity);
    expect(sampleOf(f, 'g').value).toBeNaN();
  });
});

describe('cardinality cap', () => {
  it('leaves out the per-real series above maxRealSeries, says so once per crossing, keeps the per-virtual ones', async () => {
    let snap = syntheticSnapshot(2, 3);
    const told: Array<[number, number]> = [];
    const m = quietMetrics({
      snapshot: () => snap,
      kernel: syntheticKernel(syntheticSnapshot(2, 3)),
      maxRealSeries: 6,
      onCapped: (n, cap) => void told.push([n, cap]),
    });
    const perReal = (text: string): number =>
      [...parsePrometheusText(text).values()]
        .filter((fam) => fam.samples.some((x) => x.labels.real !== undefined))
        .reduce((n, fam) => n + fam.samples.length, 0);
    expect(perReal(await m.scrape())).toBeGreaterThan(0); // 6 reals: at the cap, all there
    snap = syntheticSnapshot(2, 4);
    for (let i = 0; i < 3; i++) {
      const text = await m.scrape();
      expect(perReal(text)).toBe(0);
      expect(sampleOf(parsePrometheusText(text), METRIC.fallbackActive, { virtual: 'tcp:10.0.0.1:80' }).value).toBe(0);
      expect(sampleOf(parsePrometheusText(text), METRIC.virtualConns, { virtual: 'tcp:10.0.0.1:80' }).value).toBe(10);
    }
    expect(told).toEqual([[8, 6]]);
    snap = syntheticSnapshot(1, 2);
    expect(perReal(await m.scrape())).toBeGreaterThan(0);
    snap = syntheticSnapshot(3, 3);
    await m.scrape();
    expect(told).toEqual([
      [8, 6],
      [9, 6],
    ]);
  });
});
