// What the client saw, judged per event (failover, failback): pure functions over the raw record that
// client.js prints, so the judgement is tested on the host with made-up records.

export interface StreamRecord {
  readonly id: number;
  /** ms since the epoch; 0 = never connected. */
  readonly opened: number;
  readonly lastEcho: number;
  readonly echoes: number;
  readonly error: string | null;
  readonly errorAt: number;
}

/** [start, end, ok (1|0), body or error, the client's local port (0: unknown)] */
export type RequestRecord = readonly [number, number, number, string, number?];

export interface ClientRecord {
  readonly t: number;
  readonly streams: readonly StreamRecord[];
  readonly requests: readonly RequestRecord[];
}

export interface EventMark {
  readonly name: string;
  readonly t: number;
}

export interface EventVerdict {
  readonly name: string;
  /** Streams open before the event. */
  readonly streamsBefore: number;
  /** Of those, still open and echoing when the next event came (or at the report, for the last). */
  readonly streamsSurvived: number;
  /** Errors of the streams lost in this event's window (`ECONNRESET` ×20). */
  readonly losses: Readonly<Record<string, number>>;
  /** Longest interval between two successful new connections that overlaps the event's window, ms. */
  readonly gapMaxMs: number;
  /** Median interval between successful new connections in the window, ms. */
  readonly gapP50Ms: number;
  readonly requestsFailed: number;
  readonly requestsOk: number;
  /** Why the failed requests of the window failed (`timeout` ×8): a reset is refused, a timeout is lost. */
  readonly failures: Readonly<Record<string, number>>;
  /** Where the longest gap starts, ms after the event's mark (negative: it began before the mark). */
  readonly gapStartMs: number;
}

/** A stream counts as alive at `t` if it had no error by then and echoed within `staleMs` before `t`. */
const aliveAt = (s: StreamRecord, t: number, staleMs: number): boolean =>
  s.opened > 0 && (s.error === null || s.errorAt > t) && s.lastEcho >= t - staleMs;

/**
 * Streams alive at the event's mark (`mark`) that have neither failed nor echoed since `since` (the taker's
 * VIP): they are waiting for their next TCP retransmission, which after an outage of T seconds comes up to T
 * (at most TCP_RTO_MAX, 120 s) later.
 */
export function awaitingResume(record: ClientRecord, mark: number, since: number, staleMs = 1000): number {
  return record.streams.filter(
    (s) => s.opened > 0 && s.opened < mark && aliveAt(s, mark, staleMs) && s.error === null && s.lastEcho < since,
  ).length;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
}

/**
 * One verdict per event. An event's window runs from its mark to the next event's mark (the last one's to
 * the report). `staleMs`: an echo older than that at the window's end means the stream stalled.
 */
export function judge(record: ClientRecord, events: readonly EventMark[], staleMs = 1000): EventVerdict[] {
  const ok = record.requests
    .filter((r) => r[2] === 1)
    .map((r) => r[1])
    .sort((a, b) => a - b);
  return events.map((ev, k) => {
    const end = events[k + 1]?.t ?? record.t;
    const before = record.streams.filter((s) => s.opened > 0 && s.opened < ev.t && aliveAt(s, ev.t, staleMs));
    const survived = before.filter((s) => aliveAt(s, end, staleMs));
    const losses: Record<string, number> = {};
    for (const s of before) {
      if (survived.includes(s)) continue;
      const why = s.error ?? 'stalled';
      losses[why] = (losses[why] ?? 0) + 1;
    }
    // Intervals between consecutive successes; one that spans the event's mark belongs to the window.
    const gaps: Array<{ from: number; ms: number }> = [];
    for (let i = 1; i < ok.length; i++) {
      const a = ok[i - 1] as number;
      const b = ok[i] as number;
      if (b > ev.t && a < end) gaps.push({ from: a, ms: b - a });
    }
    // No success after the mark at all: the gap runs to the window's end.
    const last = ok.filter((t) => t <= end).pop();
    if (last !== undefined && last < ev.t) gaps.push({ from: last, ms: end - last });
    const inWindow = record.requests.filter((r) => r[0] >= ev.t && r[0] < end);
    const failures: Record<string, number> = {};
    for (const r of inWindow) if (r[2] === 0) failures[r[3]] = (failures[r[3]] ?? 0) + 1;
    const longest = gaps.reduce<{ from: number; ms: number } | undefined>(
      (m, g) => (m === undefined || g.ms > m.ms ? g : m),
      undefined,
    );
    return {
      name: ev.name,
      streamsBefore: before.length,
      streamsSurvived: survived.length,
      losses,
      gapMaxMs: longest === undefined ? end - ev.t : longest.ms,
      gapP50Ms: median(gaps.map((g) => g.ms)),
      gapStartMs: longest === undefined ? 0 : longest.from - ev.t,
      requestsFailed: inWindow.filter((r) => r[2] === 0).length,
      requestsOk: inWindow.filter((r) => r[2] === 1).length,
      failures,
    };
  });
}
