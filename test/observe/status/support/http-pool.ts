// STOPGAP for the observability tests until src/health/pool.ts lands: a small health pool doing HTTP GET
// checks of real servers on loopback on real timers. It keeps the HealthPoolApi contract (state kept across
// setTargets, undefined until the first result, failurecount/successcount, forced targets decided without a
// check, transitions in batches) and reports every result through onResult, like the pool is expected to.
import * as http from 'node:http';
import type { CheckResult, PoolTarget, Transition } from '../../../../src/health/types';
import type { Config } from '../../../../src/model/config';
import type { ResultListener, ResultTapPool } from '../../../../src/observe/metrics/result-tap';
import { realTargetId } from '../../../../src/reconcile/desired';

interface State {
  target: PoolTarget;
  up: boolean | undefined;
  fails: number;
  oks: number;
  last?: CheckResult;
  timer?: NodeJS.Timeout;
}

function get(address: string, port: number, path: string, receive: string, timeoutMs: number): Promise<CheckResult> {
  const t0 = performance.now();
  const url = `http://${address}:${port}${path}`;
  return new Promise((resolve) => {
    const done = (ok: boolean, why: string): void => resolve({ ok, reason: `HTTP GET ${url}: ${why}`, durationMs: performance.now() - t0 });
    const req = http.get(url, { timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) done(false, `${res.statusCode ?? '?'} ${res.statusMessage ?? ''}`.trim());
        else if (!new RegExp(receive).test(body)) done(false, `answer did not match ${JSON.stringify(receive)}`);
        else done(true, `${res.statusCode} ${res.statusMessage ?? ''}`.trim());
      });
      res.on('error', (e) => done(false, e.message));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e: NodeJS.ErrnoException) => done(false, e.code ?? e.message));
  });
}

/** The pool targets of a config, with the fields this pool reads (a stand-in for src/health/spec.ts). */
export function httpTargets(intervalMs: number) {
  return (c: Config): PoolTarget[] =>
    c.virtuals.flatMap((v) =>
      v.reals.map((r) => ({
        id: realTargetId(v, r),
        intervalMs,
        failurecount: v.failurecount,
        successcount: v.successcount,
        spec: { address: r.address, port: r.port, request: v.request, receive: v.receive, checktimeout: v.checktimeout } as PoolTarget['spec'],
      })),
    );
}

export function createHttpPool(): ResultTapPool & { checks(): number } {
  const states = new Map<string, State>();
  const listeners: Array<(b: readonly Transition[]) => void> = [];
  const results: ResultListener[] = [];
  let running = false;
  let checks = 0;

  const decide = (s: State, r: CheckResult, forced: boolean): void => {
    s.last = r;
    for (const l of results) l(s.target.id, r);
    const before = s.up;
    if (r.ok) {
      s.fails = 0;
      s.oks++;
      if (s.up !== true && (forced || s.up === undefined || s.oks >= s.target.successcount)) s.up = true;
    } else {
      s.oks = 0;
      s.fails++;
      if (s.up !== false && (forced || s.up === undefined || s.fails >= s.target.failurecount)) s.up = false;
    }
    if (s.up !== before) for (const l of listeners) l([{ id: s.target.id, up: s.up === true, reason: r.reason, at: Date.now() }]);
  };

  const schedule = (s: State, ms: number): void => {
    if (!running) return;
    clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      if (states.get(s.target.id) !== s || !running) return;
      if (s.target.forced !== undefined) {
        decide(s, { ok: s.target.forced === 'up', reason: s.target.forced === 'down' ? 'Server in maintenance' : 'forced up', durationMs: 0 }, true);
        schedule(s, s.target.intervalMs);
        return;
      }
      const spec = s.target.spec;
      checks++;
      void get(spec.address, spec.port, spec.request, spec.receive, spec.checktimeout * 1000).then((r) => {
        if (states.get(s.target.id) !== s || !running) return;
        decide(s, r, false);
        schedule(s, s.target.intervalMs);
      });
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
        if (s) {
          const forcedChanged = s.target.forced !== t.forced;
          s.target = t;
          if (forcedChanged) schedule(s, 0);
        } else {
          const n: State = { target: t, up: undefined, fails: 0, oks: 0 };
          states.set(t.id, n);
          schedule(n, 0);
        }
      }
    },
    isUp: (id) => states.get(id)?.up,
    lastResult: (id) => states.get(id)?.last,
    onTransitions: (l) => void listeners.push(l),
    onResult: (l) => void results.push(l),
    start() {
      running = true;
      for (const s of states.values()) schedule(s, 0);
    },
    async stop() {
      running = false;
      for (const s of states.values()) clearTimeout(s.timer);
    },
    checks: () => checks,
  };
}
