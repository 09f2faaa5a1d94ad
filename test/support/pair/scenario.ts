// One failover-and-failback story on the bed, whatever arrangement runs on the directors: director 1 is
// active, the client streams and loops, director 1 crashes (links down, everything killed, namespace gone),
// director 2 takes over; then director 1 comes back (a fresh namespace: a rebooted node) and takes the VIP
// back, or (failback: 'crash-taker') comes back as the standby and takes the VIP when director 2 crashes in
// turn. Every wait is on a condition (the VIP's owner read from /proc, the client's own record), bounded.
import { awaitingResume, judge, type ClientRecord, type EventVerdict } from './client-report';
import { establishedOf, holdsAddress, readTableOf, tableComplete } from './kernel-view';
import { STREAM_PORT, VIP, type DirectorId, type Forwarding } from './plan';
import { buildBed, type Bed } from './topology';
import { until } from '../until';

export interface Takeover {
  /** From the event (crash, or the returning node's start) until the taker holds the VIP, ms. */
  readonly vipAfterMs: number;
  /** Whether the taker's IPVS table was complete when the VIP arrived. */
  readonly tableCompleteAtVip: boolean;
  /** From the VIP's arrival until the taker's table is complete (0 when it already was), ms. */
  readonly tableCompleteAfterMs: number;
  /** Established stream entries the taker held when the VIP arrived (synced ones). */
  readonly syncedAtVip: number;
}

export interface StoryResult {
  readonly failover: EventVerdict & Takeover;
  readonly failback: EventVerdict & Takeover;
}

/** Both takeovers kept every one of `streams`, and each taker's table was complete when the VIP arrived, with
 * the streams synced (each expectation names its event, so a failure says which). */
export function expectEveryStreamSurvived(r: StoryResult, streams: number): void {
  for (const ev of [r.failover, r.failback]) {
    expect({ event: ev.name, before: ev.streamsBefore, survived: ev.streamsSurvived, losses: ev.losses }).toEqual({
      event: ev.name,
      before: streams,
      survived: streams,
      losses: {},
    });
    expect({ event: ev.name, tableCompleteAtVip: ev.tableCompleteAtVip }).toEqual({
      event: ev.name,
      tableCompleteAtVip: true,
    });
    expect(ev.syncedAtVip).toBeGreaterThanOrEqual(streams);
  }
}

export type StartNode = (bed: Bed, d: DirectorId) => Promise<void>;

/** Bound on getting the bed to steady state (node starts in a loaded uniprocessor guest take seconds each). */
const DEFAULT_SETUP_MS = 240_000;

/** Polls `probe` every `everyMs` until it returns a value (a probe that throws is "not yet"); throws naming
 * `what` after `timeoutMs`. The pair's spelling of the one polling helper, test/support/until.ts. */
export function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 20,
): Promise<T> {
  return until(what, probe, { timeoutMs, intervalMs: everyMs, retryOnError: true });
}

/** The client's raw record so far (client.js `report`). */
export async function clientRecord(bed: Bed): Promise<ClientRecord> {
  const from = bed.client.lines.length;
  bed.client.send('report');
  const at = await bed.client.line(/^\{"report"/, from, 30_000);
  return (JSON.parse(bed.client.lines[at] ?? '{}') as { report: ClientRecord }).report;
}

async function clientMark(bed: Bed, name: string): Promise<number> {
  const from = bed.client.lines.length;
  bed.client.send(`mark ${name}`);
  const at = await bed.client.line(/^\{"mark"/, from, 30_000);
  return (JSON.parse(bed.client.lines[at] ?? '{}') as { t: number }).t;
}

/** Waits until the client has `n` successful new connections that started after `t`. */
async function newConnectionsAfter(bed: Bed, t: number, n: number, timeoutMs: number): Promise<void> {
  await waitFor(
    `${n} new connections through the VIP after the event`,
    async () => {
      const r = await clientRecord(bed);
      return r.requests.filter((q) => q[2] === 1 && q[0] > t).length >= n ? true : undefined;
    },
    timeoutMs,
    250,
  );
}

/** TCP's longest retransmission interval (TCP_RTO_MAX): a stream kept through an outage resumes within it. */
const RESUME_BOUND_MS = 125_000;

/**
 * Waits until every stream alive at `mark` has echoed since `vipAt` or failed, at most RESUME_BOUND_MS after
 * `vipAt`, and returns how many still wait (then judged stalled). After a long outage (heartbeat's resource
 * scripts in a slow guest) a kept stream's next retransmission comes tens of seconds after the VIP: without
 * this wait, the story's end would judge it before it had the chance.
 */
async function streamsResumed(bed: Bed, mark: number, vipAt: number): Promise<number> {
  let waiting = 0;
  try {
    await waitFor(
      'the kept streams to resume',
      async () => {
        waiting = awaitingResume(await clientRecord(bed), mark, vipAt);
        return waiting === 0 ? true : undefined;
      },
      Math.max(0, vipAt + RESUME_BOUND_MS - Date.now()),
      500,
    );
  } catch {
    // the bound passed: `waiting` streams are judged as they are
  }
  return waiting;
}

/** Waits for `d` to hold the VIP; then reads its table and synced entries at once. */
async function takeover(bed: Bed, d: DirectorId, since: number, timeoutMs: number): Promise<Takeover> {
  const anchor = bed.anchor(d);
  if (anchor === undefined) throw new Error(`director ${d} is not up`);
  const at = await waitFor(
    `director ${d} to hold the VIP`,
    async () => ((await holdsAddress(anchor.pid, VIP)) ? Date.now() : undefined),
    timeoutMs,
    10,
  );
  const complete = tableComplete(await readTableOf(anchor.pid));
  const synced = await establishedOf(anchor.pid, STREAM_PORT);
  const completeAt = complete
    ? at
    : await waitFor(
        `director ${d}'s table to be complete`,
        async () => (tableComplete(await readTableOf(anchor.pid)) ? Date.now() : undefined),
        timeoutMs,
        20,
      );
  return {
    vipAfterMs: at - since,
    tableCompleteAtVip: complete,
    tableCompleteAfterMs: completeAt - at,
    syncedAtVip: synced,
  };
}

export interface StoryOptions {
  readonly streams: number;
  readonly startNode: StartNode;
  /** Wait for the streams' entries on the standby before the crash (only meaningful with sync). */
  readonly awaitSync: boolean;
  /** The standby runs no director until it takes over (classic mode): only director 1's table is awaited. */
  readonly coldStandby?: boolean;
  /** Bound for each takeover, ms (the cluster manager's detection time and then some). */
  readonly takeoverTimeoutMs: number;
  /**
   * How the VIP goes back to director 1. `return` (default): director 1 comes back and its cluster manager
   * takes the VIP back (heartbeat's auto_failback on, a higher VRRP priority with preemption). `crash-taker`:
   * director 1 comes back as the standby, the VIP stays where it is (auto_failback off, resource-stickiness),
   * and once director 1's table is complete (and, with sync, holds the streams) director 2 crashes in turn.
   */
  readonly failback?: 'return' | 'crash-taker';
  /** Bound on each setup step (default 240 s; heartbeat's resource scripts on a starved guest need more). */
  readonly setupTimeoutMs?: number;
  /** Progress lines (stderr in the bench, nothing in tests). */
  readonly log?: (line: string) => void;
  /** Called (not awaited) right after an event's mark, before the crash or the return: diagnostics. */
  readonly onEvent?: (event: 'failover' | 'failback', taker: DirectorId, mark: number) => void;
}

export async function runStory(bed: Bed, o: StoryOptions): Promise<StoryResult> {
  const setupMs = o.setupTimeoutMs ?? DEFAULT_SETUP_MS;
  const t0 = Date.now();
  const step = (what: string): void => o.log?.(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
  /** Until the director of process `pid` holds every stream's entry (established through it, or synced). */
  const streamsOn = (pid: number, what: string): Promise<true> =>
    waitFor(
      `${o.streams} ${what}`,
      async () => ((await establishedOf(pid, STREAM_PORT)) >= o.streams ? true : undefined),
      setupMs,
      100,
    );
  step('director 1 up');
  const a1 = await bed.directorUp(1);
  await o.startNode(bed, 1);
  await waitFor(
    'director 1 to hold the VIP',
    async () => ((await holdsAddress(a1.pid, VIP)) ? true : undefined),
    setupMs,
    50,
  );
  step('director 1 holds the VIP');
  const a2 = await bed.directorUp(2);
  await o.startNode(bed, 2);
  await waitFor(
    o.coldStandby === true ? "director 1's table complete" : 'both tables complete',
    async () =>
      tableComplete(await readTableOf(a1.pid)) && (o.coldStandby === true || tableComplete(await readTableOf(a2.pid)))
        ? true
        : undefined,
    setupMs,
    100,
  );
  step(o.coldStandby === true ? "director 1's table complete" : 'both tables complete');
  bed.client.send('open');
  await streamsOn(a1.pid, 'streams established through director 1');
  step('streams established');
  if (o.awaitSync) await streamsOn(a2.pid, 'stream entries synced to director 2');
  await newConnectionsAfter(bed, Date.now(), 10, setupMs);

  step('steady: crashing director 1');
  const tFail = await clientMark(bed, 'failover');
  o.onEvent?.('failover', 2, tFail);
  await bed.crash(1);
  const over = await takeover(bed, 2, tFail, o.takeoverTimeoutMs);
  step(`director 2 took the VIP after ${over.vipAfterMs} ms`);
  await newConnectionsAfter(bed, tFail + over.vipAfterMs, 20, setupMs);
  step(`streams not resumed: ${await streamsResumed(bed, tFail, tFail + over.vipAfterMs)}`);
  step('director 1 comes back');

  let tBack: number;
  let back: Takeover;
  if (o.failback === 'crash-taker') {
    const b1 = await bed.directorUp(1);
    await o.startNode(bed, 1);
    if (o.coldStandby !== true)
      await waitFor(
        "director 1's table complete",
        async () => (tableComplete(await readTableOf(b1.pid)) ? true : undefined),
        setupMs,
        100,
      );
    if (o.awaitSync) await streamsOn(b1.pid, 'stream entries synced to director 1');
    if (!(await holdsAddress(a2.pid, VIP)))
      throw new Error('director 2 lost the VIP when director 1 came back: this arrangement moves it back');
    step('steady: crashing director 2');
    tBack = await clientMark(bed, 'failback');
    o.onEvent?.('failback', 1, tBack);
    await bed.crash(2);
    back = await takeover(bed, 1, tBack, o.takeoverTimeoutMs);
    step(`director 1 took the VIP after ${back.vipAfterMs} ms`);
  } else {
    tBack = await clientMark(bed, 'failback');
    o.onEvent?.('failback', 1, tBack);
    await bed.directorUp(1);
    await o.startNode(bed, 1);
    back = await takeover(bed, 1, tBack, o.takeoverTimeoutMs + setupMs);
    step(`director 1 took the VIP back after ${back.vipAfterMs} ms`);
  }
  await newConnectionsAfter(bed, tBack + back.vipAfterMs, 20, setupMs);
  step(`streams not resumed: ${await streamsResumed(bed, tBack, tBack + back.vipAfterMs)}`);
  step('done');

  const record = await clientRecord(bed);
  const [vf, vb] = judge(record, [
    { name: 'failover', t: tFail },
    { name: 'failback', t: tBack },
  ]);
  if (vf === undefined || vb === undefined) throw new Error('no verdicts');
  return { failover: { ...vf, ...over }, failback: { ...vb, ...back } };
}

/** One story on a fresh bed for `forwarding` (handed to `track` first, so the test's afterEach disposes of a bed
 * its timeout cut off), its measured result written to stderr as `pair story LABEL: {…}` for the record
 * (docs/decisions/010-takeover.md); on a failure the bed's last lines and `diagnostics()` go there too. */
export async function storyOnFreshBed(
  forwarding: Forwarding,
  label: string,
  o: StoryOptions,
  track: (bed: Bed) => void,
  diagnostics: () => string = () => '',
): Promise<StoryResult> {
  const bed = await buildBed(forwarding, { streams: o.streams });
  track(bed);
  try {
    const r = await runStory(bed, o);
    process.stderr.write(`pair story ${label}: ${JSON.stringify(r)}\n`);
    return r;
  } catch (e) {
    process.stderr.write(`${bed.tail(15)}\n${diagnostics()}`);
    throw e;
  } finally {
    await bed.dispose();
  }
}
