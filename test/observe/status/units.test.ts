// Pure parts of the status side: the ring, the terminal table, the status model, operator overrides and
// target id spellings.
import type { HealthPoolApi, PoolTarget } from '../../../src/health/types';
import { createOperatorOverrides } from '../../../src/observe/actions/overrides';
import { parseActionRequest } from '../../../src/observe/actions/parse-action';
import { canonicalTargetId } from '../../../src/observe/actions/target-id';
import { configMapping } from '../../../src/reconcile/mapping';
import { targetId } from '../../../src/health/spec';
import { labelsOfConfig, targetLabeler } from '../../../src/observe/metrics/target-labels';
import { createRing } from '../../../src/observe/status/ring';
import { statusModel } from '../../../src/observe/status/model';
import { statusModelProblem, statusTable } from '../../../src/observe/status/table';
import type { DirectorSnapshot } from '../../../src/reconcile/snapshot';
import { loadText } from './support/stack';

describe('ring', () => {
  it('keeps the last N, oldest first', () => {
    const r = createRing<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.items()).toEqual([3, 4, 5]);
    expect(() => createRing(0)).toThrow(RangeError);
  });
});

const snap: DirectorSnapshot = {
  file: '/etc/ha.d/ldirectord.cf',
  state: 'running',
  lastPass: { phase: 'transition', ops: 1, failed: 0 },
  virtuals: [
    {
      vid: 'tcp:10.0.0.1:80',
      label: '10.0.0.1:80',
      fallbackActive: false,
      fallback: { label: '127.0.0.1:80', desiredWeight: null, kernelWeight: null },
      reals: [
        {
          targetId: 'tcp:10.0.0.1:80|10.0.0.5:80',
          label: '10.0.0.5:80',
          health: 'up',
          configuredWeight: 3,
          desiredWeight: 3,
          kernelWeight: 3,
          lastResult: { ok: true, reason: 'HTTP GET http://10.0.0.5:80/: 200 OK', durationMs: 4 },
        },
        {
          targetId: 'tcp:10.0.0.1:80|10.0.0.6:80',
          label: '10.0.0.6:80',
          health: 'down',
          configuredWeight: 1,
          desiredWeight: null,
          kernelWeight: 1,
          lastResult: { ok: false, reason: 'HTTP GET http://10.0.0.6:80/: ECONNREFUSED', durationMs: 1 },
        },
      ],
    },
  ],
};

describe('status model and table', () => {
  it('joins the snapshot, overrides, recent events (newest first) and kernel weights', () => {
    const m = statusModel(
      snap,
      (id) => (id.endsWith('10.0.0.5:80') ? 'drain' : undefined),
      [
        { at: 1, kind: 'up', virtual: 'v', real: 'a', text: 'x' },
        { at: 2, kind: 'down', virtual: 'v', real: 'b', text: 'y' },
      ],
      1000,
      new Map([['tcp:10.0.0.1:80|10.0.0.5:80', 0]]),
    );
    expect(m.recent.map((e) => e.at)).toEqual([2, 1]);
    expect(m.virtuals[0]?.reals.map((r) => [r.override, r.weight.kernel])).toEqual([
      ['drain', 0],
      ['none', null],
    ]);
    expect(statusModelProblem(JSON.parse(JSON.stringify(m)))).toBeUndefined();
    expect(statusModelProblem({ version: 2 })).toBe('unsupported status version 2');
    expect(statusModelProblem({ version: 1, virtuals: [{ label: 'x', reals: [{}] }] })).toBe(
      'a real server without real/health/weight',
    );
  });

  it('prints an aligned table', () => {
    const m = statusModel(snap, () => undefined, [], 0);
    expect(statusTable(m)).toBe(
      [
        'VIRTUAL      REAL                     HEALTH  OVERRIDE  WEIGHT cfg/want/kernel  LAST CHECK',
        '10.0.0.1:80  10.0.0.5:80              up      -         3/3/3                   HTTP GET http://10.0.0.5:80/: 200 OK',
        '10.0.0.1:80  10.0.0.6:80              down    -         1/-/1                   HTTP GET http://10.0.0.6:80/: ECONNREFUSED',
        '10.0.0.1:80  127.0.0.1:80 (fallback)  idle    -         -/-/-                   -',
        '',
      ].join('\n'),
    );
  });
});

describe('operator overrides', () => {
  it('spells IPv6 target ids one way', () => {
    expect(canonicalTargetId('tcp:[2001:db8::1]:80|2001:db8::5:80')).toBe('tcp:[2001:db8::1]:80|[2001:db8::5]:80');
    expect(canonicalTargetId('tcp:[2001:db8::1]:80|[2001:db8::5]:80')).toBe('tcp:[2001:db8::1]:80|[2001:db8::5]:80');
    expect(canonicalTargetId('tcp:10.0.0.1:80|10.0.0.5:80')).toBe('tcp:10.0.0.1:80|10.0.0.5:80');
  });

  it('decorates pool, targets and mapping: maintenance forces down, drain maps weight 0', async () => {
    const config = await loadText(
      ['virtual6=[2001:db8::1]:80', '\treal6=[2001:db8::5]:80 masq 7', '\treal6=[2001:db8::6]:80 masq 2', ''].join(
        '\n',
      ),
    );
    const v = config.virtuals[0]!;
    const [r5, r6] = v.reals as [(typeof v.reals)[0], (typeof v.reals)[0]];
    const o = createOperatorOverrides();
    const base: HealthPoolApi = {
      setTargets: () => undefined,
      isUp: () => true,
      lastResult: () => undefined,
      onTransitions: () => undefined,
      start: () => undefined,
      stop: async () => undefined,
    };
    const targets = o.targets((c) =>
      c.virtuals.flatMap((x) => x.reals.map((r) => ({ id: `${x.id}|${r.address}:${r.port}` }) as PoolTarget)),
    );
    const pool = o.pool(base);
    const map = o.mapping(configMapping);
    expect(o.set('tcp:[2001:db8::1]:80|[2001:db8::5]:80', 'maintenance')).toBe(true);
    expect(o.set('tcp:[2001:db8::1]:80|2001:db8::5:80', 'maintenance')).toBe(false); // same server, other spelling
    expect(o.set('tcp:[2001:db8::1]:80|[2001:db8::6]:80', 'drain')).toBe(true);
    expect(targets(config).map((t) => t.forced)).toEqual(['down', undefined]);
    expect(pool.isUp('tcp:[2001:db8::1]:80|2001:db8::5:80')).toBe(false);
    expect(pool.isUp('tcp:[2001:db8::1]:80|[2001:db8::6]:80')).toBe(true);
    expect([map.dest(v, r5).weight, map.dest(v, r6).weight, map.dest(v, r5, 0).weight]).toEqual([7, 0, 0]);
    o.retain(new Set(['tcp:[2001:db8::1]:80|2001:db8::6:80']));
    expect([...o.all().keys()]).toEqual(['tcp:[2001:db8::1]:80|[2001:db8::6]:80']);
  });

  it('labels an IPv6 real server under either spelling of its target id (the pool writes it unbracketed)', async () => {
    const config = await loadText(['virtual6=[2001:db8::1]:80', '\treal6=[2001:db8::5]:80 masq 7', ''].join('\n'));
    const v = config.virtuals[0]!;
    const poolId = targetId(v, v.reals[0]!);
    expect(poolId).toBe('tcp:[2001:db8::1]:80|2001:db8::5:80');
    const want = { virtual: 'tcp:[2001:db8::1]:80', real: '[2001:db8::5]:80', check: 'negotiate', service: 'http' };
    const label = targetLabeler(() => config);
    expect(label(poolId)).toEqual(want);
    expect(label('tcp:[2001:db8::1]:80|[2001:db8::5]:80')).toEqual(want);
    // Operator actions look targets up in the same map (perform.ts): an IPv6 real must be known.
    expect(labelsOfConfig(config).has(canonicalTargetId(poolId))).toBe(true);
  });

  it('parses action bodies strictly', () => {
    expect(parseActionRequest('{"target":"t","override":"none"}')).toEqual({
      ok: true,
      value: { target: 't', override: 'none' },
    });
    expect(parseActionRequest('nope')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^request body is not JSON/),
    });
    expect(parseActionRequest('{"target":"","override":"drain"}')).toEqual({
      ok: false,
      error: '"target" must be a real server id (string)',
    });
  });
});
