// The client's verdicts on made-up records: survivors, losses by cause, and the new-connection gaps.
import { awaitingResume, judge, median, type ClientRecord, type StreamRecord } from './client-report';

const stream = (id: number, o: Partial<StreamRecord> = {}): StreamRecord => ({
  id,
  opened: 100,
  lastEcho: 9_990,
  echoes: 50,
  error: null,
  errorAt: 0,
  ...o,
});

/** Successful requests every 100 ms from `from` to `to` (end times), except those in `holes`. */
function requests(
  from: number,
  to: number,
  holes: Array<[number, number]> = [],
): Array<[number, number, number, string]> {
  const out: Array<[number, number, number, string]> = [];
  for (let t = from; t <= to; t += 100) {
    const inHole = holes.some(([a, b]) => t > a && t < b);
    out.push([t - 10, t, inHole ? 0 : 1, inHole ? 'ECONNREFUSED' : 'rs1']);
  }
  return out;
}

describe('judge', () => {
  const events = [
    { name: 'failover', t: 3_000 },
    { name: 'failback', t: 6_000 },
  ];

  test('every stream alive through both events, gaps measured across each event', () => {
    const rec: ClientRecord = {
      t: 10_000,
      streams: [stream(0), stream(1)],
      requests: requests(1_000, 10_000, [
        [3_000, 4_000],
        [7_000, 7_500],
      ]),
    };
    const [over, back] = judge(rec, events);
    expect(over).toMatchObject({ name: 'failover', streamsBefore: 2, streamsSurvived: 2, losses: {}, gapMaxMs: 1_000 });
    expect(back).toMatchObject({ name: 'failback', streamsBefore: 2, streamsSurvived: 2, losses: {}, gapMaxMs: 500 });
    expect(over?.requestsFailed).toBe(9);
    expect(over?.failures).toEqual({ ECONNREFUSED: 9 });
    expect(over?.gapStartMs).toBe(0);
    expect(back?.gapStartMs).toBe(1_000);
    expect(back?.gapP50Ms).toBe(100);
  });

  test('streams reset in the failover window count as lost there, not again at failback', () => {
    const rec: ClientRecord = {
      t: 10_000,
      streams: [
        stream(0, { error: 'ECONNRESET', errorAt: 3_300, lastEcho: 2_990 }),
        stream(1, { error: 'ECONNRESET', errorAt: 6_400, lastEcho: 6_390 }),
        stream(2),
      ],
      requests: requests(1_000, 10_000),
    };
    const [over, back] = judge(rec, events);
    expect(over).toMatchObject({ streamsBefore: 3, streamsSurvived: 2, losses: { ECONNRESET: 1 } });
    expect(back).toMatchObject({ streamsBefore: 2, streamsSurvived: 1, losses: { ECONNRESET: 1 } });
  });

  test('a stream that stopped echoing without an error is lost as "stalled"', () => {
    const rec: ClientRecord = {
      t: 10_000,
      streams: [stream(0, { lastEcho: 3_100 })],
      requests: requests(1_000, 10_000),
    };
    const [over] = judge(rec, events);
    expect(over).toMatchObject({ streamsBefore: 1, streamsSurvived: 0, losses: { stalled: 1 } });
  });

  test('no success after the event: the gap runs to the end of the window', () => {
    const rec: ClientRecord = { t: 10_000, streams: [], requests: requests(1_000, 2_900) };
    const [over] = judge(rec, events);
    expect(over?.gapMaxMs).toBe(6_000 - 2_900);
  });

  test('median', () => {
    expect(median([])).toBe(0);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
  });

  test('awaitingResume: streams alive at the mark that have neither echoed since the VIP nor failed', () => {
    const rec: ClientRecord = {
      t: 10_000,
      streams: [
        stream(0, { lastEcho: 8_000 }), // resumed after the VIP (7,000)
        stream(1, { lastEcho: 2_950 }), // alive at the mark (3,000), silent since: waiting
        stream(2, { lastEcho: 2_950, error: 'ECONNRESET', errorAt: 7_500 }), // failed: not waiting
        stream(3, { lastEcho: 1_000 }), // already stalled before the mark: not counted
        stream(4, { opened: 3_500, lastEcho: 3_600 }), // opened after the mark
      ],
      requests: [],
    };
    expect(awaitingResume(rec, 3_000, 7_000)).toBe(1);
    expect(awaitingResume({ ...rec, streams: rec.streams.filter((s) => s.id !== 1) }, 3_000, 7_000)).toBe(0);
  });
});
