// The four scenarios, run back to back on one program at one scale, against the real IPVS table:
//   start-up  → time to a complete table (every real server present with weight > 0), table changes seen
//   scale     → checks/s counted at the HTTP server, CPU s per 1,000 checks, peak RSS, over a quiet window
//   detection → a tenth of the real servers go dark; time until each is weight 0/removed, then back
//   reload    → virtual service 0's scheduler wrr → rr; time until applied, changes to the other services
// Every wait is capped; a cap that is reached is reported as such, never hidden.

import { execFileSync } from 'node:child_process';
import { CHECK_INTERVAL_S, realsOf, type BenchServices } from './configs';
import type { HttpCounter } from './http-client';
import { cpuSeconds, peakRssKiB } from './procstat';
import { startProgram, type ProgramEnv, type ProgramName, type Running } from './programs';
import { disagreement, Poller, readProcTable, readTable, type Change, type Table, type TimedChange } from './table';
import { comeBack, goDark, realAddress, REAL_PORT, virtualAddress } from './topology';

export interface Caps {
  startS: number;
  windowS: number;
  detectS: number;
  reloadS: number;
}

export interface Latencies {
  /** seconds, one per real server that changed within the cap */
  readonly seen: number[];
  readonly expected: number;
}

export interface Result {
  program: ProgramName;
  reals: number;
  error?: string;
  startS?: number;
  startComplete?: boolean;
  startChanges?: number;
  startExtra?: number;
  warmChanges?: number;
  warmRoundS?: number;
  warmRoundComplete?: boolean;
  startUp?: number;
  checksPerS?: number;
  scheduleShare?: number;
  cpuPer1000?: number;
  rssMiB?: number;
  down?: Latencies;
  up?: Latencies;
  falseDown?: number;
  /** Mean duration of one /proc/net/ip_vs poll during detection (ms). */
  pollMs?: number;
  /** How long the `ip -batch` that takes the dark servers down (and back) took (ms). */
  darkSwitchMs?: number;
  backSwitchMs?: number;
  /** Phase ends at which ipvsadm -Ln and /proc/net/ip_vs were compared, and how many disagreed. */
  witnessChecks?: number;
  witnessDisagreements?: number;
  /** Seconds from the program's start to the start of the scale window. */
  windowStartS?: number;
  reloadS?: number;
  reloadApplied?: boolean;
  reloadOtherChanges?: number;
  reloadOwnChanges?: number;
  log?: string;
}

const POLL_MS = 100;
/** A table with no change for this long is taken as settled. */
const QUIET_MS = 5000;
const WARM_WATCH_MS = 5000;
/** The scale window starts this long after the program started: a daemon's cost is its steady state, not its
 * first minute (a JIT runtime is still compiling then); the same for all three programs. */
const STEADY_MS = 60000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const svcKey = (v: number): string => `TCP ${virtualAddress(v)}:80`;
const destKey = (i: number): string => `${realAddress(i)}:${REAL_PORT}`;

/** Every service present with every one of its real servers at a weight above 0. */
export function complete(t: Table, s: BenchServices): boolean {
  for (let v = 0; v < s.virtuals; v++) {
    const svc = t.get(svcKey(v));
    if (!svc) return false;
    for (const i of realsOf(s, v)) if (!((svc.dests.get(destKey(i)) ?? 0) > 0)) return false;
  }
  return true;
}

function isUp(t: Table, s: BenchServices, i: number): boolean {
  return (t.get(svcKey(i % s.virtuals))?.dests.get(destKey(i)) ?? 0) > 0;
}

/** Per real server in `which`: seconds from t0 to the first change that took it to `to` (down/up). */
function latencies(
  changes: readonly TimedChange[],
  t0: number,
  which: readonly number[],
  to: 'down' | 'up',
): Latencies {
  const wanted = new Set(which.map(destKey));
  const first = new Map<string, number>();
  for (const { at, change } of changes) {
    if (!('dest' in change) || !wanted.has(change.dest) || first.has(change.dest)) continue;
    if (to === 'down' && downChange(change)) first.set(change.dest, (at - t0) / 1000);
    if (to === 'up' && upChange(change)) first.set(change.dest, (at - t0) / 1000);
  }
  return { seen: [...first.values()].sort((a, b) => a - b), expected: which.length };
}
const downChange = (c: Change): boolean => c.kind === 'dest-del' || (c.kind === 'dest-weight' && c.to === 0);
const upChange = (c: Change): boolean =>
  (c.kind === 'dest-add' && c.weight > 0) || (c.kind === 'dest-weight' && c.from === 0 && c.to > 0);

/** The dark tenth: every tenth real server of each virtual service (with fewer than ten per service, every
 * tenth real server). */
export function darkSet(s: BenchServices): number[] {
  const out: number[] = [];
  const perService = s.reals / s.virtuals >= 10;
  for (let i = 0; i < s.reals; i++) if ((perService ? Math.floor(i / s.virtuals) : i) % 10 === 5) out.push(i);
  return out;
}

export async function runScenarios(
  name: ProgramName,
  env: ProgramEnv,
  s: BenchServices,
  caps: Caps,
  http: HttpCounter,
  note: (msg: string) => void,
): Promise<Result> {
  const r: Result = { program: name, reals: s.reals };
  let program: Running | undefined;
  let peak = 0;
  const samplePeak = (): void => {
    if (program && !program.exited()) peak = Math.max(peak, peakRssKiB(program.pid));
  };
  // At each phase end (the table settled), ipvsadm -Ln must show what the /proc poller saw.
  r.witnessChecks = 0;
  r.witnessDisagreements = 0;
  // A program still changing the table (a phase cut short by its cap) is not a disagreement: ipvsadm's view
  // is compared only with /proc reads on both sides of it that agree with each other.
  const crossCheck = async (phase: string): Promise<void> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await readProcTable();
      const ipvsadm = await readTable();
      const after = await readProcTable();
      if (disagreement(before, after).length > 0) continue;
      const d = disagreement(before, ipvsadm);
      r.witnessChecks = (r.witnessChecks ?? 0) + 1;
      if (d.length > 0) {
        r.witnessDisagreements = (r.witnessDisagreements ?? 0) + 1;
        note(`WITNESS DISAGREEMENT after ${phase}: /proc/net/ip_vs → ipvsadm -Ln: ${d.slice(0, 5).join(' ')}`);
      }
      return;
    }
    note(`witness cross-check after ${phase} skipped: the table kept changing`);
  };
  try {
    // ── cold start-up: an empty table
    let poller = new Poller(await readProcTable(), POLL_MS);
    const t0 = Date.now();
    program = startProgram(name, env, s, `${s.reals}-cold`);
    const cold = program;
    await poller.until((t) => cold.exited() || complete(t, s), t0 + caps.startS * 1000);
    if (program.exited()) throw new Error('exited during start-up');
    r.startComplete = complete(poller.latest, s);
    r.startUp = Array.from({ length: s.reals }, (_, i) => i).filter((i) => isUp(poller.latest, s, i)).length;
    r.startS = ((r.startComplete ? lastChangeAt(poller.changes, t0) : Date.now()) - t0) / 1000;
    if (r.startComplete) await quiet(poller, QUIET_MS, Date.now() + 10000); // a second round's changes still count
    r.startChanges = poller.changes.length;
    // Beyond the minimum: one change per service and per real server now in the table.
    let present = 0;
    for (const svc of poller.latest.values()) present += 1 + svc.dests.size;
    r.startExtra = poller.changes.length - present;
    samplePeak();
    await poller.stop();
    await crossCheck('cold start-up');
    note(`cold start-up ${r.startS.toFixed(1)} s${r.startComplete ? '' : ' (incomplete)'}, ${r.startChanges} changes`);
    await program.stop(10000);

    // ── warm start-up: the table already holds every real server (a restart with cleanstop=no); the
    // scenarios below run on this instance, so a slow cold start cannot eat their time.
    execFileSync('ipvsadm', ['-C']);
    execFileSync('ipvsadm', ['-R'], { input: restoreText(s) });
    poller = new Poller(await readProcTable(), POLL_MS);
    const base = await http.counts();
    const w = Date.now();
    program = startProgram(name, env, s, `${s.reals}-warm`);
    // The first full round: every real server checked at least once since the start (capped).
    const warm = program;
    const allChecked = async (): Promise<boolean> => {
      const now = await http.counts();
      return Array.from({ length: s.reals }, (_, i) => realAddress(i)).every((a) => (now[a] ?? 0) > (base[a] ?? 0));
    };
    while (!warm.exited() && Date.now() - w < caps.startS * 1000 && !(await allChecked())) await sleep(500);
    r.warmRoundS = (Date.now() - w) / 1000;
    r.warmRoundComplete = await allChecked();
    await sleep(Math.max(0, WARM_WATCH_MS - (Date.now() - w)));
    await quiet(poller, QUIET_MS, Date.now() + 10000);
    if (program.exited()) throw new Error('exited during the warm start-up');
    r.warmChanges = poller.changes.length;
    await poller.stop();
    await crossCheck('warm start-up');
    note(
      `warm start-up: first round ${r.warmRoundComplete ? 'in' : 'incomplete after'} ${r.warmRoundS.toFixed(1)} s, ${r.warmChanges} changes`,
    );

    // ── scale: a quiet window, no polling, in the steady state
    await sleep(Math.max(2000, w + STEADY_MS - Date.now()));
    r.windowStartS = (Date.now() - w) / 1000;
    samplePeak();
    const c0 = await http.total();
    const cpu0 = cpuSeconds(program.pid);
    const w0 = Date.now();
    const mid = setInterval(samplePeak, 2000);
    await sleep(caps.windowS * 1000);
    clearInterval(mid);
    const c1 = await http.total();
    const cpu1 = cpuSeconds(program.pid);
    const dt = (Date.now() - w0) / 1000;
    const checks = c1 - c0;
    r.checksPerS = checks / dt;
    r.scheduleShare = r.checksPerS / (s.reals / CHECK_INTERVAL_S);
    r.cpuPer1000 = checks > 0 ? ((cpu1 - cpu0) / checks) * 1000 : undefined;
    samplePeak();
    note(`scale ${r.checksPerS.toFixed(0)} checks/s, cpu ${(cpu1 - cpu0).toFixed(2)} s in ${dt.toFixed(1)} s`);

    // ── detection: down, then back
    const dark = darkSet(s);
    poller = new Poller(await readProcTable(), POLL_MS);
    const d0 = Date.now();
    r.darkSwitchMs = goDark(dark);
    await poller.until((t) => dark.every((i) => !isUp(t, s, i)), d0 + caps.detectS * 1000);
    r.down = latencies(poller.changes, d0, dark, 'down');
    const darkKeys = new Set(dark.map(destKey));
    r.falseDown = poller.changes.filter(
      ({ change }) => 'dest' in change && downChange(change) && !darkKeys.has(change.dest),
    ).length;
    samplePeak();
    note(
      `down ${r.down.seen.length}/${r.down.expected} in ${((Date.now() - d0) / 1000).toFixed(1)} s (ip -batch took ${r.darkSwitchMs} ms)`,
    );
    const u0 = Date.now();
    const changesBefore = poller.changes.length;
    r.backSwitchMs = comeBack(dark);
    await poller.until((t) => complete(t, s), u0 + caps.detectS * 1000);
    const detected = new Set(
      poller.changes
        .slice(0, changesBefore)
        .filter(({ change }) => downChange(change))
        .map(({ change }) => ('dest' in change ? change.dest : '')),
    );
    r.up = latencies(
      poller.changes.slice(changesBefore),
      u0,
      dark.filter((i) => detected.has(destKey(i))),
      'up',
    );
    r.pollMs = poller.polls > 0 ? poller.pollMs / poller.polls : undefined;
    note(`up ${r.up.seen.length}/${r.up.expected} in ${((Date.now() - u0) / 1000).toFixed(1)} s`);
    await sleep(1000);
    await poller.stop();
    await crossCheck('detection');

    // ── reload: one virtual service of many changes
    poller = new Poller(await readProcTable(), POLL_MS);
    await poller.next();
    const h0 = Date.now();
    const before = poller.changes.length;
    program.reload({ ...s, firstScheduler: s.firstScheduler === 'wrr' ? 'rr' : 'wrr' });
    const want = s.firstScheduler === 'wrr' ? 'rr' : 'wrr';
    r.reloadApplied = await poller.until((t) => t.get(svcKey(0))?.scheduler === want, h0 + caps.reloadS * 1000);
    r.reloadS = (Date.now() - h0) / 1000;
    const applied = poller.changes.find(({ change }) => change.kind === 'service-edit' && change.service === svcKey(0));
    if (applied) r.reloadS = (applied.at - h0) / 1000;
    await quiet(poller, QUIET_MS, h0 + caps.reloadS * 1000);
    const after = poller.changes.slice(before);
    r.reloadOtherChanges = after.filter(({ change }) => change.service !== svcKey(0)).length;
    r.reloadOwnChanges = after.filter(
      ({ change }) => change.service === svcKey(0) && change.kind !== 'service-edit',
    ).length;
    await poller.stop();
    await crossCheck('reload');
    samplePeak();
    note(
      `reload ${r.reloadApplied ? `${r.reloadS.toFixed(2)} s` : 'not applied'}, ${r.reloadOtherChanges} changes to others`,
    );
  } catch (e) {
    r.error = e instanceof Error ? e.message : String(e);
  } finally {
    samplePeak();
    r.rssMiB = peak / 1024;
    if (program) {
      await program.stop(15000);
      r.log = program.logFile;
    }
  }
  return r;
}

/** Waits until the poller has seen no change for quietMs, or until deadline. */
async function quiet(poller: Poller, quietMs: number, deadline: number): Promise<void> {
  for (;;) {
    const now = Date.now();
    const last = poller.changes[poller.changes.length - 1]?.at ?? 0;
    if (now >= deadline || now - last >= quietMs) return;
    await sleep(Math.min(last + quietMs, deadline) - now + 50);
  }
}

/** ipvsadm -R input for the complete table: every virtual service, every real server up. */
function restoreText(s: BenchServices): string {
  const lines: string[] = [];
  for (let v = 0; v < s.virtuals; v++) {
    lines.push(`-A -t ${virtualAddress(v)}:80 -s ${v === 0 ? s.firstScheduler : 'wrr'}`);
    for (const i of realsOf(s, v)) lines.push(`-a -t ${virtualAddress(v)}:80 -r ${destKey(i)} -m -w 1`);
  }
  return `${lines.join('\n')}\n`;
}

function lastChangeAt(changes: readonly TimedChange[], fallback: number): number {
  return changes.length > 0 ? (changes[changes.length - 1]?.at ?? fallback) : fallback;
}
