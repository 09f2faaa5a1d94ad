// Golden bytes from a real kernel (Debian UML 6.1, captured by test/fixtures/netlink/capture.ts in the guest):
// every request the client builds must equal the captured datagram byte for byte (encode), and every captured
// reply must decode to the model values the kernel was given (decode), errors to the same codes.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openIpvs } from '../../src/ipvs';
import { decodeFamilyReply } from '../../src/ipvs/codec/messages';
import { parseNlMessages } from '../../src/ipvs/codec/netlink';
import type { IpvsClient, IpvsDestEntry, IpvsServiceEntry } from '../../src/ipvs/types';
import * as S from '../fixtures/netlink/scenario';
import { replayScript, replaySocket, type CapturedExchange } from './helpers/replay-socket';

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/netlink/ipvs-kernel.json'), 'utf8')) as {
  kernel: string;
  exchanges: CapturedExchange[];
};

const counters = { activeConns: 0, inactiveConns: 0, persistentConns: 0 };
const noStats = <T extends { stats?: unknown }>(x: T): Omit<T, 'stats'> => {
  const { stats: _s, ...rest } = x;
  return rest;
};

/** What each reading step must decode to: the values the scenario gave the kernel. */
const EXPECTED: Record<string, unknown> = {
  info: { version: 0x010201, connTableSize: 4096 },
  'get-config': { tcp: 900, tcpFin: 120, udp: 300 },
  'get-config after set': { tcp: 1000, tcpFin: 120, udp: 200 },
  'get-service doit': S.TCP4_EDITED,
  'get-service doit fwmark': S.FWM4,
  // The kernel lists destinations newest first.
  'get-dest dump': [S.MIXED6, S.GUE, S.ROUTE, S.MASQ_EDITED].map((d) => ({ ...d, ...counters })),
  'get-service dump empty': [],
  'get-daemon dump': [
    {
      state: 'master',
      mcastInterface: 'lo',
      syncId: 8,
      maxLength: 1200,
      mcastGroup: '239.1.2.3',
      mcastPort: 9999,
      mcastTtl: 3,
    },
    {
      state: 'backup',
      mcastInterface: 'lo',
      syncId: 7,
      maxLength: 65507,
      mcastGroup: '224.0.0.81',
      mcastPort: 8848,
      mcastTtl: 1,
    },
  ],
};

describe(`golden bytes: IPVS netlink, kernel ${fixture.kernel}`, () => {
  const script = replayScript(fixture.exchanges);
  const replay = replaySocket(script);
  let client: IpvsClient;
  const results = new Map<string, { outcome: string; value?: unknown }>();

  beforeAll(async () => {
    client = await openIpvs({ openSocket: replay.open, window: 1, timeoutMs: 2000 });
    for (const x of fixture.exchanges.slice(1)) {
      const fn = (client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[x.op];
      if (!fn) throw new Error(`fixture step ${x.name}: no client method ${x.op}`);
      try {
        results.set(x.name, { outcome: 'ok', value: await fn.apply(client, [...x.args]) });
      } catch (e) {
        results.set(x.name, { outcome: (e as { code?: string }).code ?? String(e) });
      }
    }
  });

  afterAll(async () => {
    await client.close();
  });

  it('the fixture covers every IPVS command, CTRL_GETFAMILY, ACK, DONE and every errno we map', () => {
    const cmds = new Set<number>();
    const replyKinds = new Set<string>();
    for (const x of fixture.exchanges) {
      for (const r of x.requests) {
        const [m] = parseNlMessages(Buffer.from(r, 'hex'));
        if (m && m.type !== 0x10) cmds.add(m.payload.readUInt8(0));
      }
      for (const r of x.replies) {
        for (const m of parseNlMessages(Buffer.from(r, 'hex'))) {
          replyKinds.add(
            m.type === 2
              ? m.payload.readInt32LE(0) === 0
                ? 'ack'
                : `errno${-m.payload.readInt32LE(0)}`
              : m.type === 3
                ? 'done'
                : 'data',
          );
        }
      }
    }
    // 14 (SET_INFO) is a reply-only command; every other one, 1..17, was sent.
    expect([...cmds].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17]);
    expect([...replyKinds].sort()).toEqual(
      ['ack', 'data', 'done', 'errno17', 'errno2', 'errno22', 'errno3', 'errno34'].sort(),
    );
  });

  it('encodes every request exactly as captured (byte for byte, same datagrams)', () => {
    expect(replay.mismatches).toEqual([]);
    expect(replay.position()).toBe(script.length);
  });

  it('gets the same outcome for every step as the kernel gave', () => {
    const outcomes = fixture.exchanges.slice(1).map((x) => [x.name, results.get(x.name)?.outcome]);
    expect(outcomes).toEqual(fixture.exchanges.slice(1).map((x) => [x.name, x.outcome]));
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`decodes "${name}"`, () => {
      const r = results.get(name);
      expect(r?.outcome).toBe('ok');
      const v = r?.value;
      const got = Array.isArray(v)
        ? v.map((x) => (typeof x === 'object' && x && 'stats' in x ? noStats(x as IpvsDestEntry) : x))
        : v && typeof v === 'object' && 'stats' in v
          ? noStats(v as IpvsServiceEntry)
          : v;
      expect(got).toEqual(expected);
    });
  }

  it('decodes the service dump (five services, HASHED masked, stats present)', () => {
    const v = results.get('get-service dump')?.value as IpvsServiceEntry[];
    const byId = (s: IpvsServiceEntry): string => JSON.stringify(noStats(s));
    expect(v.map(byId).sort()).toEqual(
      [S.UDP6, S.TCP4_EDITED, S.SCTP4_SIP, S.SCTP6, S.FWM4].map((s) => JSON.stringify(s)).sort(),
    );
    for (const s of v) expect(s.stats?.conns).toBe(0n);
  });

  it('decodes CTRL_CMD_GETFAMILY (family id, version 1, maxattr 6)', () => {
    const reply = fixture.exchanges[0]?.replies[0] ?? '';
    const [m] = parseNlMessages(Buffer.from(reply, 'hex'));
    const fam = decodeFamilyReply((m as { payload: Buffer }).payload);
    expect(fam.version).toBe(1);
    expect(fam.maxAttr).toBe(6);
    expect(fam.id).toBeGreaterThanOrEqual(0x10);
  });
});
