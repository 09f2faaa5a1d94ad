import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import type { IpvsClient } from '../../src/ipvs/types';
import { realTargetId } from '../../src/reconcile/desired';
import { createEventBus, type ReconcileEvent } from '../../src/reconcile/events';
import { fallbackCommandArgv, fallbackTransition } from '../../src/reconcile/fallback-command';
import { configMapping as map } from '../../src/reconcile/mapping';
import { readActual } from '../../src/reconcile/actual';
import { desiredTable } from '../../src/reconcile/desired';
import { plan } from '../../src/reconcile/plan';
import { createReconciler } from '../../src/reconcile/reconciler';
import { config, fallback, real, virtual } from './support/fixtures';

const v1 = virtual('10.0.0.1', 80, [real('10.0.0.5')]);
const v2 = virtual('10.0.0.2', 80, [real('10.0.0.6')]);

function setup(client: IpvsClient = createMemoryIpvs(), up: Record<string, boolean> = {}) {
  const bus = createEventBus();
  const events: ReconcileEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const commands: string[] = [];
  const r = createReconciler(
    { client, map, health: (id) => up[id], bus, runFallbackCommand: (v, _c, a) => commands.push(`${v.id} ${a}`) },
    config([v1, v2]),
  );
  return { r, events, commands, up };
}

describe('reconciler', () => {
  test('requests that pile up while a pass runs merge into one following pass', async () => {
    const ipvs = createMemoryIpvs();
    const get = ipvs.getService.bind(ipvs);
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    ipvs.getService = async (k) => {
      if (calls++ === 0) {
        entered();
        await gate;
      }
      return get(k);
    };
    const { r, events } = setup(ipvs);
    const first = r.sync('start');
    await inside; // the start pass is now running
    const a = r.sync('transition', new Set([v1.id]));
    const b = r.sync('transition', new Set([v2.id]));
    expect(a).toBe(b);
    release();
    await first;
    await a;
    expect(events.flatMap((e) => (e.type === 'pass' ? [e.phase] : []))).toEqual(['start', 'transition']);
    // The start pass reads the two owned services one by one; the merged transition pass plans from what
    // the start pass read and applied (the known table), so it reads nothing.
    expect(calls).toBe(2);
  });

  test('a request made before the queued pass starts joins it', async () => {
    const { r } = setup();
    const first = r.sync('start');
    expect(r.sync('transition', new Set([v1.id]))).toBe(first);
    await first;
  });

  test('a subset pass only reads and plans the named virtuals', async () => {
    const ipvs = createMemoryIpvs();
    const { r, up } = setup(ipvs);
    await r.sync('start');
    up[realTargetId(v1, v1.reals[0]!)] = true;
    up[realTargetId(v2, v2.reals[0]!)] = true;
    const out = await r.sync('transition', new Set([v2.id]));
    expect(out.ops.map((o) => o.kind === 'add-dest' && o.label)).toEqual(['10.0.0.2:80']);
  });

  test('a service that failed to be removed is retried by the next full pass', async () => {
    const ipvs = createMemoryIpvs();
    const { r } = setup(ipvs);
    await r.sync('start');
    const del = ipvs.deleteService.bind(ipvs);
    let refuse = true;
    ipvs.deleteService = async (k) => {
      if (refuse) throw Object.assign(new Error('busy'), { name: 'IpvsError', code: 'EBUSY' });
      return del(k);
    };
    r.setConfig(config([v1]));
    expect((await r.sync('reload')).result.failed.map((f) => f.op.kind)).toEqual(['delete-service']);
    refuse = false;
    expect((await r.sync('resync')).ops.map((o) => o.kind)).toEqual(['delete-service']);
    expect((await r.sync('resync')).ops).toEqual([]);
    expect((await ipvs.listServices()).length).toBe(1);
  });

  test('fallbackcommand runs once per change of the sorry state, and state survives a reload', async () => {
    const vf = virtual('10.0.0.1', 80, [real('10.0.0.5')], { fallbackcommand: '/bin/sorry' });
    const ipvs = createMemoryIpvs();
    const bus = createEventBus();
    const commands: string[] = [];
    const up: Record<string, boolean> = {};
    const r = createReconciler(
      { client: ipvs, map, health: (id) => up[id], bus, runFallbackCommand: (_v, _c, a) => commands.push(a) },
      config([vf]),
    );
    await r.sync('start');
    expect(commands).toEqual([]); // undecided: nothing yet
    up[realTargetId(vf, vf.reals[0]!)] = false;
    await r.sync('transition');
    await r.sync('resync');
    r.setConfig(config([vf]));
    await r.sync('reload');
    up[realTargetId(vf, vf.reals[0]!)] = true;
    await r.sync('transition');
    expect(commands).toEqual(['start', 'stop']);
  });
});

describe('fallbackcommand', () => {
  test('arguments go to the shell as positional parameters, never into its text', () => {
    expect(fallbackCommandArgv('/usr/bin/sorry --quiet', 'start', virtual('10.0.0.1', 80, []))).toEqual({
      file: '/bin/sh',
      args: ['-c', '/usr/bin/sorry --quiet "$@"', 'ldirectord', 'start', '10.0.0.1:80', 'tcp'],
    });
    const v6 = virtual('2001:db8::1', 443, [], { family: 'inet6', id: 'tcp:[2001:db8::1]:443' });
    expect(fallbackCommandArgv('x', 'stop', v6).args.slice(3)).toEqual(['stop', '[2001:db8::1]:443', 'tcp']);
    const fw = virtual('', 0, [], { protocol: 'fwm', fwmark: 7, address: undefined, id: 'fwm:7' });
    expect(fallbackCommandArgv('x', 'start', fw).args.slice(3)).toEqual(['start', '7:0', 'fwm']);
  });

  test('transitions: undecided runs nothing; a repeat runs nothing', () => {
    expect(fallbackTransition(undefined, undefined)).toBeUndefined();
    expect(fallbackTransition(undefined, true)).toBe('start');
    expect(fallbackTransition('start', true)).toBeUndefined();
    expect(fallbackTransition('start', false)).toBe('stop');
    expect(fallbackTransition(undefined, false)).toBe('stop');
  });
});

describe('reconciler: transition passes plan from the known table', () => {
  // A deterministic pseudo-random walk of health flips over virtuals with quiescent on and off and a
  // fallback: every transition pass, planned without reading, makes exactly the ops a pass that read the
  // kernel would make, and a resync every ten steps finds nothing to do.
  test('after any sequence of transitions, the known table plans what a read of the kernel would', async () => {
    const va = virtual('10.0.1.1', 80, [real('10.0.1.5'), real('10.0.1.6'), real('10.0.1.7')], { quiescent: true });
    const vb = virtual('10.0.1.2', 80, [real('10.0.1.8', 80, { weight: 3 }), real('10.0.1.9')], {
      fallback: fallback('127.0.0.1'),
    });
    const ipvs = createMemoryIpvs();
    let reads = 0;
    const list = ipvs.listDests.bind(ipvs);
    ipvs.listDests = async (k) => {
      reads += 1;
      return list(k);
    };
    const get = ipvs.getService.bind(ipvs);
    ipvs.getService = async (k) => {
      reads += 1;
      return get(k);
    };
    const up: Record<string, boolean> = {};
    const bus = createEventBus();
    const r = createReconciler(
      { client: ipvs, map, health: (id) => up[id], bus, runFallbackCommand: () => undefined },
      config([va, vb]),
    );
    await r.sync('start');
    const ids = [va, vb].flatMap((v) => v.reals.map((x) => ({ vid: v.id, id: realTargetId(v, x) })));
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    let transitionOps = 0;
    for (let step = 0; step < 80; step++) {
      const t = ids[next() % ids.length]!;
      up[t.id] = next() % 3 !== 0;
      const covered = [va, vb].filter((v) => v.id === t.vid);
      // What a pass that reads the kernel would do now (pure parts, on a fresh read).
      const actual = await readActual(
        ipvs,
        covered.map((v) => map.service(v)),
      );
      const expected = plan(
        desiredTable({ ...config([va, vb]), virtuals: covered }, (id) => up[id], actual, map),
        actual,
        [],
      );
      reads = 0;
      const outcome = await r.sync('transition', new Set([t.vid]));
      expect(reads).toBe(0);
      expect(outcome.ops).toEqual(expected);
      transitionOps += outcome.ops.length;
      if (step % 10 === 9) expect((await r.sync('resync')).ops).toEqual([]);
    }
    expect(transitionOps).toBeGreaterThan(20);
  });

  test('a failed op makes its service unknown: the next transition pass over it reads the kernel', async () => {
    const ipvs = createMemoryIpvs();
    let reads = 0;
    const get = ipvs.getService.bind(ipvs);
    ipvs.getService = async (k) => {
      reads += 1;
      return get(k);
    };
    const { r, up } = setup(ipvs);
    await r.sync('start');
    const edit = ipvs.addDest.bind(ipvs);
    ipvs.addDest = async () => {
      throw Object.assign(new Error('refused'), { code: 'IPVS_EPERM' });
    };
    up[realTargetId(v1, v1.reals[0]!)] = true;
    reads = 0;
    const failed = await r.sync('transition', new Set([v1.id]));
    expect(reads).toBe(0);
    expect(failed.result.failed).toHaveLength(1);
    ipvs.addDest = edit;
    reads = 0;
    const retried = await r.sync('transition', new Set([v1.id]));
    expect(reads).toBe(1);
    expect(retried.result.applied.map((o) => o.kind)).toEqual(['add-dest']);
  });
});

describe('a resync counts as drift only what the known table did not foresee', () => {
  const r5 = v1.reals[0]!;
  const r6 = v2.reals[0]!;
  const lastPass = (events: ReconcileEvent[]) => events.filter((e) => e.type === 'pass').at(-1);

  test('an up held back from its transition pass is applied by the resync, and is not drift', async () => {
    const ipvs = createMemoryIpvs();
    const { r, events, up } = setup(ipvs);
    await r.sync('start');
    up[realTargetId(v1, r5)] = true; // no transition pass yet (the spacing holds it)
    await r.sync('resync');
    expect(lastPass(events)).toMatchObject({ phase: 'resync', ops: 1, failed: 0, drift: 0 });
  });

  test('a dest deleted behind the director is drift; an up applied in the same resync is not', async () => {
    const ipvs = createMemoryIpvs();
    const { r, events, up } = setup(ipvs);
    up[realTargetId(v1, r5)] = true;
    await r.sync('start');
    await ipvs.deleteDest(map.service(v1), map.dest(v1, r5));
    up[realTargetId(v2, r6)] = true;
    await r.sync('resync');
    expect(lastPass(events)).toMatchObject({ phase: 'resync', ops: 2, failed: 0, drift: 1 });
  });

  test('a resync whose services the known table does not hold reports no drift figure (all its ops count)', async () => {
    const { r, events, up } = setup();
    up[realTargetId(v1, r5)] = true;
    await r.sync('resync'); // the first pass: nothing known yet
    const pass = lastPass(events);
    expect(pass).toMatchObject({ phase: 'resync', ops: 3 });
    expect(pass).not.toHaveProperty('drift');
  });
});
