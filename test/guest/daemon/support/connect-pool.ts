// STOPGAP for the end-to-end test: a minimal health pool doing TCP connect checks on real timers, until
// src/health/pool.ts (createHealthPool) lands; then run-director.ts switches to it. It honours the
// HealthPoolApi contract: state kept across setTargets for unchanged ids, undefined until the first result,
// failurecount/successcount consecutive thresholds, transitions delivered in batches.
import * as net from 'node:net';
import type { CheckResult, HealthPoolApi, PoolTarget, Transition } from '../../../../src/health/types';

interface State {
  target: PoolTarget;
  up: boolean | undefined;
  fails: number;
  oks: number;
  last?: CheckResult;
  timer?: NodeJS.Timeout;
}

function connect(address: string, port: number, timeoutMs: number): Promise<CheckResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const s = net.connect({ host: address, port, timeout: timeoutMs });
    const done = (ok: boolean, why: string): void => {
      s.destroy();
      resolve({ ok, reason: `connect ${address}:${port}: ${why}`, durationMs: Date.now() - t0 });
    };
    s.once('connect', () => done(true, 'connected'));
    s.once('timeout', () => done(false, 'timed out'));
    s.once('error', (e: NodeJS.ErrnoException) => done(false, e.code ?? e.message));
  });
}

export function createConnectPool(): HealthPoolApi {
  const states = new Map<string, State>();
  const listeners: Array<(b: readonly Transition[]) => void> = [];
  let running = false;
  const inflight = new Set<Promise<unknown>>();

  const schedule = (s: State, ms: number): void => {
    if (!running) return;
    s.timer = setTimeout(() => {
      const p = connect(s.target.spec.address, s.target.spec.port, s.target.spec.checktimeout * 1000).then((r) => {
        inflight.delete(p);
        if (states.get(s.target.id) !== s || !running) return;
        s.last = r;
        const before = s.up;
        if (r.ok) {
          s.fails = 0;
          s.oks++;
          if (s.up !== true && (s.up === undefined || s.oks >= s.target.successcount)) s.up = true;
        } else {
          s.oks = 0;
          s.fails++;
          if (s.up !== false && (s.up === undefined || s.fails >= s.target.failurecount)) s.up = false;
        }
        if (s.up !== before) for (const l of listeners) l([{ id: s.target.id, up: s.up === true, reason: r.reason, at: Date.now() }]);
        schedule(s, s.target.intervalMs);
      });
      inflight.add(p);
    }, ms);
  };

  return {
    setTargets(targets) {
      const next = new Set(targets.map((t) => t.id));
      for (const [id, s] of states) if (!next.has(id)) {
        clearTimeout(s.timer);
        states.delete(id);
      }
      for (const t of targets) {
        const s = states.get(t.id);
        if (s) s.target = t;
        else {
          const n: State = { target: t, up: undefined, fails: 0, oks: 0 };
          states.set(t.id, n);
          schedule(n, 0);
        }
      }
    },
    isUp: (id) => states.get(id)?.up,
    lastResult: (id) => states.get(id)?.last,
    onTransitions: (l) => void listeners.push(l),
    start() {
      running = true;
      for (const s of states.values()) schedule(s, 0);
    },
    async stop() {
      running = false;
      for (const s of states.values()) clearTimeout(s.timer);
      await Promise.all([...inflight]);
    },
  };
}
