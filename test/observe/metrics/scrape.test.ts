// /metrics scraped over real HTTP from the real stack (real config loader, director on the in-memory table,
// real HTTP real servers on loopback) and parsed strictly as Prometheus text; every metric asserted with its
// labels after the events that should move it.
import type { IpvsClient, IpvsStats } from '../../../src/ipvs/types';
import { createMemoryIpvs } from '../../../src/ipvs/memory/table';
import { METRIC } from '../../../src/observe/metrics/names';
import { VERSION } from '../../../src/model/version';
import { startReal, startStack, loadText, withStatus, type RealServer, type Stack } from '../status/support/stack';
import { parsePrometheusText, sampleOf, type Family } from './support/prom-text';
import { until } from '../../support/until';
import { systemClock } from '../../../src/daemon/system-clock';

const BIG = 5_000_000_000n; // above 2^32: the 64-bit counters survive

function stats(seed: bigint): IpvsStats {
  return {
    conns: seed,
    inPackets: seed * 10n,
    outPackets: seed * 9n,
    inBytes: BIG + seed,
    outBytes: BIG * 2n + seed,
    cps: 0n,
    inPps: 0n,
    outPps: 0n,
    inBps: 0n,
    outBps: 0n,
  };
}

/** The director's table, with counters as a kernel would have them (the in-memory table counts no traffic). */
function withCounters(base: IpvsClient): Pick<IpvsClient, 'listServices' | 'listDests'> & { reads: number } {
  const c = {
    reads: 0,
    async listServices() {
      c.reads++;
      return (await base.listServices()).map((s) => ({ ...s, stats: stats(7n) }));
    },
    async listDests(key: Parameters<IpvsClient['listDests']>[0]) {
      return (await base.listDests(key)).map((d) => ({ ...d, stats: stats(BigInt(d.port)) }));
    },
  };
  return c;
}

async function scrape(url: string): Promise<Map<string, Family>> {
  const res = await fetch(`${url}metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

const value = (f: Map<string, Family>, name: string, labels: Record<string, string> = {}): number =>
  sampleOf(f, name, labels).value;

describe('/metrics', () => {
  let a: RealServer;
  let b: RealServer;
  let stack: Stack;
  let statsClient: ReturnType<typeof withCounters>;
  let cfText: string;
  /** Moves the stats cache's clock on: the next scrape reads the kernel afresh. */
  let skew = 0;
  const fresh = (): void => void (skew += 61_000);
  const V = 'tcp:127.0.0.1:8080';
  const V2 = 'tcp:127.0.0.1:8081';
  let A: string;
  let B: string;

  beforeAll(async () => {
    a = await startReal();
    b = await startReal();
    A = `127.0.0.1:${a.port}`;
    B = `127.0.0.1:${b.port}`;
    cfText = [
      'checkinterval=1',
      'resyncinterval=0',
      'virtual=127.0.0.1:8080',
      `\treal=${A} masq 3`,
      `\treal=${B} masq 2`,
      '\tservice=http',
      '\tchecktype=negotiate',
      '\treceive="ok"',
      '\tchecktimeout=2',
      // sed is not in this table's scheduler list: adding the service fails (ENOENT, like a kernel without ip_vs_sed)
      'virtual=127.0.0.1:8081',
      `\treal=${A} masq`,
      '\tscheduler=sed',
      '\tservice=http',
      '\tchecktype=negotiate',
      '\treceive="ok"',
      '',
    ].join('\n');
    const config = withStatus(await loadText(cfText), { statusaddress: '127.0.0.1:0' });
    const ipvs = createMemoryIpvs({ schedulers: ['wrr', 'rr'] });
    statsClient = withCounters(ipvs);
    stack = await startStack(config, {
      ipvs,
      statsFrom: statsClient,
      statsTtlMs: 60_000,
      clock: { ...systemClock, now: () => Date.now() + skew },
      // no graph samples during the test: they would read the counters too
      graphs: { intervalMs: 3_600_000, windowMs: 7_200_000 },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await a?.down();
    await b?.down();
  });

  it('reports health, weights, checks, operations, failures and kernel counters with their labels', async () => {
    const f = await until('both reals up in the kernel', async () => {
      fresh();
      const m = await scrape(stack.url);
      const inKernel = (r: string): boolean =>
        m
          .get(METRIC.realWeight)
          ?.samples.some((s) => s.labels.real === r && s.labels.virtual === V && s.labels.source === 'kernel') === true;
      return inKernel(A) && inKernel(B) ? m : undefined;
    });
    expect(f.get('ldirectord_real_server_up')).toBeUndefined(); // the duplicate of _state{state="up"} is gone
    expect(f.get(METRIC.buildInfo)?.samples).toEqual([
      {
        name: METRIC.buildInfo,
        labels: { version: VERSION, node_version: process.version, compat: 'v1.186-ha' },
        value: 1,
      },
    ]);
    for (const n of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_open_fds',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ])
      expect([n, f.has(n)]).toEqual([n, true]);
    expect(value(f, METRIC.realState, { virtual: V, real: A, state: 'up' })).toBe(1);
    expect(value(f, METRIC.realState, { virtual: V, real: A, state: 'down' })).toBe(0);
    expect(value(f, METRIC.realWeight, { virtual: V, real: A, source: 'configured' })).toBe(3);
    expect(value(f, METRIC.realWeight, { virtual: V, real: A, source: 'desired' })).toBe(3);
    expect(value(f, METRIC.realWeight, { virtual: V, real: A, source: 'kernel' })).toBe(3);
    expect(value(f, METRIC.realWeight, { virtual: V, real: B, source: 'kernel' })).toBe(2);
    expect(f.get(METRIC.realOverride)?.samples).toEqual([]); // a series only while an override is set (server.test.ts)
    expect(value(f, METRIC.fallbackActive, { virtual: V })).toBe(0);
    // checks, by type and service, and their outcomes by reason class
    expect(f.get(METRIC.checkDuration)?.type).toBe('histogram');
    expect(value(f, `${METRIC.checkDuration}_count`, { check: 'negotiate', service: 'http' })).toBeGreaterThanOrEqual(
      2,
    );
    expect(
      value(f, METRIC.checkResults, { check: 'negotiate', service: 'http', outcome: 'success', reason: 'ok' }),
    ).toBeGreaterThanOrEqual(2);
    // IPVS operations applied; the sed service failed with the table's errno
    expect(value(f, METRIC.ipvsOps, { operation: 'add-service' })).toBe(1);
    expect(value(f, METRIC.ipvsOps, { operation: 'add-dest' })).toBeGreaterThanOrEqual(2);
    expect(value(f, METRIC.ipvsOpFailures, { operation: 'add-service', errno: 'ENOENT' })).toBeGreaterThanOrEqual(1);
    expect(value(f, METRIC.reconcilePasses, { phase: 'start' })).toBe(1);
    expect(value(f, METRIC.reloads, { result: 'success' })).toBe(0);
    expect(value(f, METRIC.lastReload)).toBeGreaterThan(1.7e9);
    // the kernel's counters, 64-bit, per virtual service and per real server
    expect(value(f, METRIC.virtualConns, { virtual: V })).toBe(7);
    expect(value(f, METRIC.virtualPackets, { virtual: V, direction: 'in' })).toBe(70);
    expect(value(f, METRIC.virtualBytes, { virtual: V, direction: 'out' })).toBe(Number(BIG * 2n + 7n));
    expect(value(f, METRIC.realConns, { virtual: V, real: A })).toBe(a.port);
    expect(value(f, METRIC.realBytes, { virtual: V, real: B, direction: 'in' })).toBe(Number(BIG) + b.port);
    expect(value(f, METRIC.realPackets, { virtual: V, real: B, direction: 'out' })).toBe(b.port * 9);
    expect(f.get(METRIC.realConns)?.samples.some((s) => s.labels.virtual === V2)).toBe(false); // not in the kernel
    expect(value(f, METRIC.statsReadErrors)).toBe(0);
  });

  it('serves the kernel counters from a cache: scrapes do not hammer netlink', async () => {
    const before = statsClient.reads;
    await Promise.all(Array.from({ length: 20 }, () => scrape(stack.url)));
    expect(statsClient.reads - before).toBeLessThanOrEqual(1);
  });

  it('counts transitions, failed checks by reason, reloads, drift repairs and reconcile durations', async () => {
    await a.down();
    // (the first failure may be a reset of a connection open while A closed; later ones are refusals)
    const refused = { check: 'negotiate', service: 'http', outcome: 'failure', reason: 'refused' };
    let f = await until('A down, and a refused check', async () => {
      const m = await scrape(stack.url);
      const seen = m
        .get(METRIC.checkResults)
        ?.samples.some((s) => Object.entries(refused).every(([k, v]) => s.labels[k] === v));
      return value(m, METRIC.realState, { virtual: V, real: A, state: 'down' }) === 1 && seen === true ? m : undefined;
    });
    expect(value(f, METRIC.transitions, { virtual: V, real: A, to: 'down' })).toBe(1);
    expect(value(f, METRIC.transitions, { virtual: V, real: A, to: 'up' })).toBe(1);
    expect(value(f, METRIC.checkResults, refused)).toBeGreaterThanOrEqual(1);
    f = await until('A removed from the kernel', async () => {
      fresh();
      const m = await scrape(stack.url);
      return m
        .get(METRIC.realWeight)
        ?.samples.some((s) => s.labels.real === A && s.labels.virtual === V && s.labels.source === 'kernel')
        ? undefined
        : m;
    });
    expect(value(f, METRIC.ipvsOps, { operation: 'delete-dest' })).toBeGreaterThanOrEqual(1);

    // drift: somebody removes B behind the director's back; the periodic resync puts it back
    await stack.ipvs.deleteDest(
      { family: 'inet', protocol: 'tcp', address: '127.0.0.1', port: 8080 },
      { family: 'inet', address: '127.0.0.1', port: b.port },
    );
    await stack.director.resync();
    // reloads: one good, one rejected
    const next = withStatus(await loadText(cfText), { statusaddress: '127.0.0.1:0' });
    expect(await stack.reload(next)).toBe(true);
    expect(await stack.director.reload({ ok: false, errors: [], warnings: [] })).toBe(false);
    f = await scrape(stack.url);
    expect(value(f, METRIC.driftRepairs)).toBe(1);
    expect(value(f, METRIC.reloads, { result: 'success' })).toBe(1);
    expect(value(f, METRIC.reloads, { result: 'failure' })).toBe(1);
    expect(value(f, `${METRIC.reconcileDuration}_count`, { phase: 'resync' })).toBe(1);
    expect(value(f, `${METRIC.reconcileDuration}_count`, { phase: 'reload' })).toBe(1);

    await a.up();
    f = await until('A back', async () => {
      const m = await scrape(stack.url);
      return value(m, METRIC.realState, { virtual: V, real: A, state: 'up' }) === 1 ? m : undefined;
    });
    expect(value(f, METRIC.transitions, { virtual: V, real: A, to: 'up' })).toBe(2);
  });
});
