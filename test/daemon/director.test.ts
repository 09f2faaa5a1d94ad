import { targetsFor } from '../../src/health/spec';
import { realTargetId } from '../../src/reconcile/desired';
import { configMapping as map } from '../../src/reconcile/mapping';
import { config, fallback, real, virtual } from '../reconcile/support/fixtures';
import { createFakePool } from '../reconcile/support/fake-pool';
import { seededIpvs } from '../reconcile/support/table';
import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import { dumpTable, harness } from './director-harness';
import { flushMicrotasks } from '../support/fake-clock';
import type { Diagnostic } from '../../src/model/config';

const r1 = real('10.0.0.5', 80, { weight: 5 });
const r2 = real('10.0.0.6', 80, { weight: 3 });
const r3 = real('10.0.0.7', 80, { weight: 1 });
const fb = fallback('127.0.0.1', 8080);
const v = virtual('10.0.0.1', 80, [r1, r2, r3], { fallback: fb, fallbackcommand: '/usr/local/bin/sorry -q' });
const [id1, id2, id3] = [r1, r2, r3].map((r) => realTargetId(v, r)) as [string, string, string];
const ALL_UP = { [id1]: true, [id2]: true, [id3]: true };

describe('director on the in-memory table', () => {
  test('start programs the virtual service and resolves; reals enter only when their first check passes', async () => {
    const h = await harness(config([v]));
    expect(h.sink.messages()).toEqual(['Added virtual server: 10.0.0.1:80']);
    expect(h.takeOps()).toEqual(['add-service:ok']);
    expect(h.pool.started).toBe(true);
    expect(h.pool.targets.map((t) => t.id)).toEqual([id1, id2, id3]);

    const pass = h.nextPass('transition');
    h.pool.report({ [id1]: true, [id2]: false, [id3]: true });
    await pass;
    expect(h.takeOps()).toEqual(['add-dest:ok', 'add-dest:ok']);
    expect(h.sink.messages().slice(1)).toEqual([
      'Added real server: 10.0.0.5:80 (10.0.0.1:80) (Weight set to 5)',
      'Added real server: 10.0.0.7:80 (10.0.0.1:80) (Weight set to 1)',
    ]);
    expect(h.spawned).toEqual([
      ['/bin/sh', '-c', '/usr/local/bin/sorry -q "$@"', 'ldirectord', 'stop', '10.0.0.1:80', 'tcp'],
    ]);
    await h.director.stop();
  });

  test('the start-up pass is applied before the checks get their targets; addbeforecheck=yes fills the table with it', async () => {
    const ipvs = createMemoryIpvs();
    const pool = createFakePool();
    const setTargets = pool.setTargets.bind(pool);
    let tableAtTargets: string[] | undefined;
    pool.setTargets = (t) => {
      tableAtTargets ??= ipvs.log.since(0).map((r) => r.operation);
      setTargets(t);
    };
    const base = config([v]);
    const h = await harness({ ...base, global: { ...base.global, addbeforecheck: true } }, { ipvs, pool });
    expect(tableAtTargets).toEqual(['get-service', 'add-service', 'add-dest', 'add-dest', 'add-dest']);
    expect(h.pool.targets.map((t) => t.id)).toEqual([id1, id2, id3]);
    expect(h.pool.started).toBe(true);
    await h.director.stop();
  });

  test('failure, all down → fallback (command start once), one back → fallback out (command stop once)', async () => {
    const h = await harness(config([v]));
    let pass = h.nextPass('transition');
    h.pool.report(ALL_UP);
    await pass;
    h.takeOps();
    h.sink.records.length = 0;
    h.spawned.length = 0;

    pass = h.nextPass('transition');
    h.pool.report({ [id1]: false });
    await pass;
    expect(h.sink.messages()).toEqual(['Deleted real server: 10.0.0.5:80 (10.0.0.1:80)']);

    pass = h.nextPass('transition');
    h.pool.report({ [id2]: false, [id3]: false });
    await pass;
    expect(await h.table()).toEqual(['S tcp 10.0.0.1:80 wrr', '  D tcp 10.0.0.1:80 127.0.0.1:8080 masq 1']);
    expect(h.sink.messages().slice(1)).toEqual([
      'Added fallback server: 127.0.0.1:8080 (10.0.0.1:80) (Weight set to 1)',
      'Fallback server 127.0.0.1:8080 serves 10.0.0.1:80: none of its real servers is available (all down or in maintenance)',
      'Deleted real server: 10.0.0.6:80 (10.0.0.1:80)',
      'Deleted real server: 10.0.0.7:80 (10.0.0.1:80)',
    ]);
    expect(h.spawned.map((a) => a[4])).toEqual(['start']);

    pass = h.nextPass('transition');
    h.pool.report({ [id2]: true });
    await pass;
    expect(await h.table()).toEqual(['S tcp 10.0.0.1:80 wrr', '  D tcp 10.0.0.1:80 10.0.0.6:80 masq 3']);
    expect(h.sink.messages().slice(5)).toEqual([
      'Added real server: 10.0.0.6:80 (10.0.0.1:80) (Weight set to 3)',
      'Deleted fallback server: 127.0.0.1:8080 (10.0.0.1:80)',
    ]);
    expect(h.spawned.map((a) => a[4])).toEqual(['start', 'stop']);
    await h.director.stop();
  });

  test('quiescent=yes: weight 0 instead of removal, restored on recovery', async () => {
    const vq = { ...v, quiescent: true, fallback: undefined, fallbackcommand: undefined };
    const h = await harness(config([vq]));
    let pass = h.nextPass('transition');
    h.pool.report(ALL_UP);
    await pass;
    pass = h.nextPass('transition');
    h.pool.report({ [id1]: false });
    await pass;
    expect(await h.table()).toContain('  D tcp 10.0.0.1:80 10.0.0.5:80 masq 0');
    expect(h.sink.messages()).toContain('Quiescent real server: 10.0.0.5:80 (10.0.0.1:80) (Weight set to 0)');
    pass = h.nextPass('transition');
    h.pool.report({ [id1]: true });
    await pass;
    expect(await h.table()).toContain('  D tcp 10.0.0.1:80 10.0.0.5:80 masq 5');
    expect(h.sink.messages()).toContain('Restored real server: 10.0.0.5:80 (10.0.0.1:80) (Weight set to 5)');
    await h.director.stop();
  });

  test('restart with cleanstop=no: stop leaves the table exactly, the new director adopts it without one change', async () => {
    const c = config([{ ...v, cleanstop: false }]);
    const a = await harness(c);
    const pass = a.nextPass('transition');
    a.pool.report({ [id1]: true, [id2]: false, [id3]: true });
    await pass;
    const before = await a.table();
    await a.director.stop();
    expect(await a.table()).toEqual(before);
    a.takeOps();

    // "SIGKILL and start again": a fresh director and pool over the same kernel table.
    const b = await harness(c, { ipvs: a.ipvs, pool: createFakePool() });
    expect(b.takeOps()).toEqual([]);
    const p2 = b.nextPass('transition');
    b.pool.report({ [id1]: true, [id2]: false, [id3]: true });
    await p2;
    expect(b.takeOps()).toEqual([]);
    expect(await b.table()).toEqual(before);
    expect(b.sink.messages()).toEqual([]);
    await b.director.stop();
    expect(await b.table()).toEqual(before);
  });

  test('stop with cleanstop=yes purges reals then the service, runs fallbackcommand stop; safe to call twice', async () => {
    const other = virtual('10.0.0.2', 80, [real('10.0.0.9')], { cleanstop: false });
    const h = await harness(config([v, other]));
    const pass = h.nextPass('transition');
    h.pool.report({ [id1]: false, [id2]: false, [id3]: false });
    await pass;
    h.sink.records.length = 0;
    await Promise.all([h.director.stop(), h.director.stop()]);
    await h.director.stop();
    expect(h.pool.stopped).toBe(1);
    expect(h.sink.messages()).toEqual([
      'Purged real server (stop): 127.0.0.1:8080 (10.0.0.1:80)',
      'Purged virtual server (stop): 10.0.0.1:80',
    ]);
    expect(await h.table()).toEqual(['S tcp 10.0.0.2:80 wrr']);
    expect(h.spawned.map((a) => a[4])).toEqual(['start', 'stop']);
    expect(h.clock.pending()).toBe(0);
  });

  test('a broken reload keeps the running config whole and logs every error with file:line', async () => {
    const h = await harness(config([v]));
    const pass = h.nextPass('transition');
    h.pool.report(ALL_UP);
    await pass;
    const before = await h.table();
    h.takeOps();
    h.sink.records.length = 0;
    const errors: Diagnostic[] = [
      {
        severity: 'error',
        code: 'E_UNKNOWN_DIRECTIVE',
        message: 'Unknown command foo=1',
        source: { file: '/etc/ha.d/test.cf', line: 7, col: 5 },
      },
      {
        severity: 'error',
        code: 'E_BAD_VALUE',
        message: 'checkinterval must be > 0',
        source: { file: '/etc/ha.d/test.cf', line: 9, col: 1 },
      },
    ];
    expect(await h.director.reload({ ok: false, errors, warnings: [] })).toBe(false);
    expect(h.sink.messages()).toEqual([
      '/etc/ha.d/test.cf:7:5: E_UNKNOWN_DIRECTIVE Unknown command foo=1',
      '/etc/ha.d/test.cf:9:1: E_BAD_VALUE checkinterval must be > 0',
      'Reload of /etc/ha.d/test.cf rejected: 2 errors; the running configuration is unchanged',
    ]);
    expect(h.takeOps()).toEqual([]);
    expect(await h.table()).toEqual(before);
    expect(h.director.snapshot().virtuals.map((x) => x.vid)).toEqual([v.id]);
    expect(h.pool.targets.map((t) => t.id)).toEqual([id1, id2, id3]);
    await h.director.stop();
  });

  test('a good reload adds and removes virtual services and never touches the reals of other virtuals', async () => {
    const keep = virtual('10.0.0.2', 80, [r1]);
    const h = await harness(config([v, keep]));
    const idk = realTargetId(keep, r1);
    const pass = h.nextPass('transition');
    h.pool.report({ ...ALL_UP, [idk]: true });
    await pass;
    h.takeOps();
    h.sink.records.length = 0;
    const added = virtual('10.0.0.3', 80, [r1]);
    expect(await h.director.reload({ ok: true, config: config([keep, added]) })).toBe(true);
    expect(h.sink.messages()).toEqual([
      'Added virtual server: 10.0.0.3:80',
      'Purged real server (start): 10.0.0.5:80 (10.0.0.1:80)',
      'Purged real server (start): 10.0.0.6:80 (10.0.0.1:80)',
      'Purged real server (start): 10.0.0.7:80 (10.0.0.1:80)',
      'Purged virtual server (start): 10.0.0.1:80',
    ]);
    expect(await h.table()).toEqual([
      'S tcp 10.0.0.2:80 wrr',
      '  D tcp 10.0.0.2:80 10.0.0.5:80 masq 5',
      'S tcp 10.0.0.3:80 wrr',
    ]);
    expect(h.pool.targets.map((t) => t.id)).toEqual([idk, realTargetId(added, r1)]);
    await h.director.stop();
  });

  test('drift (an operator deletes a real) is repaired by the periodic resync', async () => {
    const h = await harness(config([v], { resyncinterval: 30 }));
    let pass = h.nextPass('transition');
    h.pool.report(ALL_UP);
    await pass;
    const good = await h.table();
    await h.ipvs.deleteDest(map.service(v), map.dest(v, r2));
    h.takeOps();
    h.sink.records.length = 0;
    pass = h.nextPass('resync');
    h.clock.advance(30_000);
    await pass;
    expect(h.takeOps()).toEqual(['add-dest:ok']);
    expect(await h.table()).toEqual(good);
    expect(h.sink.messages()).toEqual([
      'Added real server: 10.0.0.6:80 (10.0.0.1:80) (Weight set to 3)',
      'Resync: repaired 1 difference between the IPVS table and the configuration',
    ]);
    // and the timer is re-armed: a second drift is repaired one interval later
    await h.ipvs.deleteService(map.service(v));
    pass = h.nextPass('resync');
    h.clock.advance(30_000);
    await pass;
    expect(await h.table()).toEqual(good);
    await h.director.stop();
  });

  test('dry run logs every IPVS operation', async () => {
    const h = await harness(config([v]), { dryRun: true });
    expect(h.sink.messages()).toEqual([
      'dry-run: add service 10.0.0.1:80 scheduler wrr',
      'Added virtual server: 10.0.0.1:80',
    ]);
    await h.director.stop();
  });

  test('snapshot shows health, desired and kernel weights', async () => {
    const h = await harness(config([v]));
    const pass = h.nextPass('transition');
    h.pool.report({ [id1]: true, [id2]: false });
    await pass;
    const s = h.director.snapshot();
    expect(s.virtuals[0]?.reals.map((r) => [r.label, r.health, r.desiredWeight])).toEqual([
      ['10.0.0.5:80', 'up', 5],
      ['10.0.0.6:80', 'down', null],
      ['10.0.0.7:80', 'unknown', 'keep'],
    ]);
    await h.director.resync();
    expect(h.director.snapshot().virtuals[0]?.reals.map((r) => r.kernelWeight)).toEqual([5, null, null]);
    await h.director.stop();
    expect(h.director.snapshot().state).toBe('stopped');
    expect(await dumpTable(h.ipvs)).toEqual([]);
  });
});

describe('director when IPVS misbehaves', () => {
  test('a table read that fails is logged, nothing crashes, and the next pass reads the kernel again and converges', async () => {
    const h = await harness(config([v]));
    const realGet = h.ipvs.getService.bind(h.ipvs);
    let failNext = true;
    h.ipvs.getService = async (k) => {
      if (failNext) {
        failNext = false;
        throw Object.assign(new Error('netlink: timed out after 5000 ms'), { code: 'IPVS_TIMEOUT' });
      }
      return realGet(k);
    };
    let reads = 0;
    const counted = h.ipvs.getService.bind(h.ipvs);
    h.ipvs.getService = async (k) => {
      reads += 1;
      return counted(k);
    };
    h.sink.records.length = 0;
    const failed = new Promise<string>((resolve) =>
      h.director.subscribe((e) => void (e.type === 'read-failed' && resolve(e.phase))),
    );
    h.clock.advance(60_000); // the periodic resync reads the kernel, and that read fails
    expect(await failed).toBe('resync');
    expect(h.sink.messages()).toEqual(['IPVS table read failed: netlink: timed out after 5000 ms']);
    expect(await h.table()).toEqual(['S tcp 10.0.0.1:80 wrr']);
    // A failed read forgets the known table, so the transition pass reads the kernel instead of trusting it.
    reads = 0;
    const pass = h.nextPass('transition');
    h.pool.report(ALL_UP);
    await pass;
    expect(reads).toBe(1);
    expect(await h.table()).toEqual([
      'S tcp 10.0.0.1:80 wrr',
      '  D tcp 10.0.0.1:80 10.0.0.5:80 masq 5',
      '  D tcp 10.0.0.1:80 10.0.0.6:80 masq 3',
      '  D tcp 10.0.0.1:80 10.0.0.7:80 masq 1',
    ]);
    // With the kernel known again, the next transition pass plans from the known table: no read.
    reads = 0;
    const again = h.nextPass('transition');
    h.pool.report({ ...ALL_UP, [id2]: false });
    await again;
    expect(reads).toBe(0);
    expect(await h.table()).toContain('  D tcp 10.0.0.1:80 10.0.0.5:80 masq 5');
    expect(await h.table()).not.toContain('  D tcp 10.0.0.1:80 10.0.0.6:80 masq 3');
    await h.director.stop();
  });
});

describe('director start over an existing table', () => {
  test('an owned service with another scheduler is changed, a stray real purged, foreign services untouched', async () => {
    const foreign = virtual('10.9.9.9', 80, [real('10.9.9.10')]);
    const ipvs = await seededIpvs([
      { service: { ...map.service(v), scheduler: 'rr' }, dests: [map.dest(v, r1), map.dest(v, real('10.0.0.99'))] },
      { service: map.service(foreign), dests: [map.dest(foreign, foreign.reals[0]!)] },
    ]);
    const h = await harness(config([v]), { ipvs });
    expect(h.sink.messages()).toEqual([
      'Changed virtual server: 10.0.0.1:80',
      'Purged real server (start): 10.0.0.99:80 (10.0.0.1:80)',
    ]);
    expect(await h.table()).toEqual([
      'S tcp 10.0.0.1:80 wrr',
      '  D tcp 10.0.0.1:80 10.0.0.5:80 masq 5',
      'S tcp 10.9.9.9:80 wrr',
      '  D tcp 10.9.9.9:80 10.9.9.10:80 masq 1',
    ]);
    await h.director.stop();
    expect(await h.table()).toEqual(['S tcp 10.9.9.9:80 wrr', '  D tcp 10.9.9.9:80 10.9.9.10:80 masq 1']);
  });
});

describe("director with the pool's own target ids", () => {
  test('an IPv6 real is added when the target id the pool reports (targetsFor) goes up', async () => {
    const v6 = virtual('2001:db8::1', 80, [real('2001:db8::5', 80, { family: 'inet6', weight: 2 })], {
      family: 'inet6',
      id: 'tcp:[2001:db8::1]:80',
    });
    const h = await harness(config([v6]));
    const [target] = targetsFor(config([v6]));
    const pass = h.nextPass('transition');
    h.pool.report({ [target!.id]: true });
    await pass;
    expect(h.sink.messages()).toEqual([
      'Added virtual server: [2001:db8::1]:80',
      'Added real server: [2001:db8::5]:80 ([2001:db8::1]:80) (Weight set to 2)',
    ]);
    await h.director.stop();
  });
});

describe('director: transition passes are spaced', () => {
  test('the first transition after a quiet spell runs at once; the ones within the spacing merge into one pass when it ends', async () => {
    const h = await harness(config([v]), { transitionSpacingMs: 50 });
    const passes: string[] = [];
    h.director.subscribe((e) => {
      if (e.type === 'pass' && e.phase === 'transition') passes.push(`${e.ops}`);
    });
    let pass = h.nextPass('transition');
    h.pool.report({ [id1]: true });
    await pass; // at once: no transition pass ran before
    expect(passes).toEqual(['1']);
    h.pool.report({ [id2]: true });
    h.pool.report({ [id3]: true });
    await flushMicrotasks();
    h.clock.advance(49);
    await flushMicrotasks();
    expect(passes).toEqual(['1']); // held: the last pass started less than 50 ms ago
    pass = h.nextPass('transition');
    h.clock.advance(1);
    await pass;
    expect(passes).toEqual(['1', '2']); // both held transitions in one pass
    expect(await h.table()).toHaveLength(4);
    h.clock.advance(1000);
    pass = h.nextPass('transition');
    h.pool.report({ [id1]: false });
    await pass; // quiet for more than the spacing: at once again
    expect(passes).toEqual(['1', '2', '1']);
    await h.director.stop();
  });
});
