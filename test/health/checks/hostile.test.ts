// connect, http and https against hostile servers: each ends down within its deadline, with a reason a
// human understands, and leaves nothing open. The deadline is an AbortSignal fired by a timer, exactly as
// the pool does; "within the deadline" is proven by whether the signal had fired when the result arrived.
import { connectCheck } from '../../../src/health/checks/connect';
import { createHttpCheck } from '../../../src/health/services/http';
import type { Check, CheckResult, CheckSpec } from '../../../src/health/types';
import { startBlackhole, startHostile, type HostileKind, type HostileServer } from '../../support/hostile';
import { createTlsFixtures, type TlsFixtures } from '../../support/tls';
import { leakedSince, snapshotHandles } from '../../support/leaks';
import { freePort } from '../../support/ports';
import { specFor } from '../spec-fixture';

let tls: TlsFixtures;
beforeAll(() => {
  tls = createTlsFixtures('backend.test');
});
afterAll(() => tls.cleanup());

interface Outcome {
  result: CheckResult;
  abortedFirst: boolean;
  leaked: string[];
}

async function against(
  serverP: Promise<HostileServer>,
  check: Check,
  spec: (port: number) => CheckSpec,
  deadlineMs: number,
): Promise<Outcome> {
  const before = snapshotHandles();
  const server = await serverP;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deadlineMs);
  const result = await check(spec(server.port), controller.signal);
  const abortedFirst = controller.signal.aborted;
  clearTimeout(timer);
  await server.close();
  return { result, abortedFirst, leaked: await leakedSince(before) };
}

const connectSpec = (port: number) => specFor({ checktype: { kind: 'connect' }, port, checktimeout: 1 });
const httpSpec =
  (receive = '') =>
  (port: number) =>
    specFor({ port, request: '/', receive, negotiatetimeout: 1 });
const httpsSpec =
  (receive = '') =>
  (port: number) =>
    specFor({ service: 'https', port, request: '/', receive, negotiatetimeout: 1, virtualhost: 'backend.test' });
const http = createHttpCheck();
const https = (): Check => createHttpCheck({ ca: tls.ca });

describe('connect', () => {
  test('a SYN that is never answered: down at the deadline', async () => {
    const o = await against(startBlackhole(), connectCheck, connectSpec, 1000);
    expect(o.result.ok).toBe(false);
    expect(o.result.reason).toMatch(/^connect 127\.0\.0\.1:\d+: timed out after 1 s$/);
    expect(o.abortedFirst).toBe(true);
    expect(o.leaked).toEqual([]);
  });

  test('connection refused: down at once', async () => {
    const port = await freePort();
    const r = await connectCheck(connectSpec(port), new AbortController().signal);
    expect(r).toMatchObject({ ok: false, reason: `connect 127.0.0.1:${port}: ECONNREFUSED` });
  });

  test.each<[HostileKind]>([['trickle'], ['flood'], ['reset']])(
    '%s server: up at once, nothing read, nothing left open (connect measures the handshake only)',
    async (kind) => {
      const o = await against(startHostile(kind), connectCheck, connectSpec, 1000);
      expect(o.result.ok).toBe(true);
      expect(o.abortedFirst).toBe(false);
      expect(o.leaked).toEqual([]);
    },
  );

  test('a server that accepts and never answers is up for a connect check (it measures the handshake only)', async () => {
    const o = await against(startHostile('silent'), connectCheck, connectSpec, 1000);
    expect(o.result.ok).toBe(true);
    expect(o.result.reason).toMatch(/: connected$/);
    expect(o.abortedFirst).toBe(false);
    expect(o.leaked).toEqual([]);
  });
});

const timedOut = /^HTTPS? GET https?:\/\/127\.0\.0\.1:\d+\/: timed out after 1 s$/;

describe.each([
  ['http', false],
  ['https', true],
] as const)('%s', (name, secure) => {
  const opts = (o: { prefix?: string; floodBytes?: number } = {}) => (secure ? { ...o, tls: tls.good } : o);
  const check = (): Check => (secure ? https() : http);
  const spec = secure ? httpsSpec : httpSpec;

  test.each<[HostileKind]>([['silent'], ['trickle']])(`${name}: %s server ends down at the deadline`, async (kind) => {
    const o = await against(startHostile(kind, opts()), check(), spec(), 1000);
    expect(o.result.ok).toBe(false);
    expect(o.result.reason).toMatch(timedOut);
    expect(o.abortedFirst).toBe(true);
    expect(o.leaked).toEqual([]);
  });

  test(`${name}: 100 MB answer: only 1 MiB is read, down on the receive mismatch before the deadline`, async () => {
    const o = await against(
      startHostile('flood', opts()),
      check(),
      (port) => ({ ...spec('needle')(port), negotiatetimeout: 10 }),
      10000,
    );
    expect(o.result.ok).toBe(false);
    expect(o.result.reason).toMatch(
      /: 200 OK but the first 1048576 bytes of the body does not match \/needle\/ \(starts "x{80}"\)$/,
    );
    expect(o.abortedFirst).toBe(false);
    expect(o.leaked).toEqual([]);
  });

  test(`${name}: reset in the middle of the response ends down at once`, async () => {
    const o = await against(startHostile('reset', opts()), check(), spec(), 5000);
    expect(o.result.ok).toBe(false);
    expect(o.result.reason).toMatch(/^HTTPS? GET https?:\/\/127\.0\.0\.1:\d+\/: read ECONNRESET$/);
    expect(o.abortedFirst).toBe(false);
    expect(o.leaked).toEqual([]);
  });
});

describe('https certificates', () => {
  test.each([
    ['wrong name', () => tls.wrongName, 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ['expired', () => tls.expired, 'CERT_HAS_EXPIRED'],
    ['self-signed', () => tls.selfSigned, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ])('%s certificate: down with the verification error', async (_name, cert, code) => {
    const o = await against(startHostile('http200', { tls: cert() }), https(), httpsSpec(), 5000);
    expect(o.result.ok).toBe(false);
    expect(o.result.reason).toMatch(new RegExp(`^HTTP GET https://127\\.0\\.0\\.1:\\d+/: ${code}: `));
    expect(o.abortedFirst).toBe(false);
    expect(o.leaked).toEqual([]);
  });

  test('a plain TCP server that never speaks TLS: the handshake times out at the deadline', async () => {
    const o = await against(startHostile('silent'), https(), httpsSpec(), 1000);
    expect(o.result.reason).toMatch(timedOut);
    expect(o.abortedFirst).toBe(true);
    expect(o.leaked).toEqual([]);
  });

  test('the good certificate passes (control)', async () => {
    const o = await against(startHostile('http200', { tls: tls.good }), https(), httpsSpec('ok'), 5000);
    expect(o.result.ok).toBe(true);
    expect(o.leaked).toEqual([]);
  });
});
