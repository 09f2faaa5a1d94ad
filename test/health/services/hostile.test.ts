// Every TCP-based service check against hostile servers, on 127.0.0.1 and ::1: a server that accepts and
// never answers, one that sends a byte a second, one that sends 100 MB, one that resets mid-response, and
// for the TLS services certificates that must not verify. Each check ends down with a readable reason
// (the deadline is negotiatetimeout = 1 s) and leaves no handle behind.
import { once, setMaxListeners } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { ServiceName } from '../../../src/model/config';
import { serviceChecks } from '../../../src/health/services';
import type { CheckResult, CheckSpec } from '../../../src/health/types';
import { startHostile, type HostileKind, type HostileServer } from '../../support/hostile';
import { leakedSince, snapshotHandles } from '../../support/leaks';
import { createTlsFixtures, type TlsFixtures } from '../../support/tls';
import { makeSpec, never } from './spec-fixture';

// Leaks are measured from before the hostile servers start until after they are closed: a paused
// hostile socket with unread request bytes never sees the client's FIN, which is the server's business,
// so the servers' own sockets are torn down first and only what the checks left behind remains.

/** The TCP services and what each needs beyond host and port to get as far as talking. */
const SERVICES: readonly [ServiceName, Partial<CheckSpec>][] = [
  ['smtp', {}],
  ['submission', {}],
  ['pop', { login: 'u', passwd: 'p' }],
  ['pops', {}],
  ['imap', { login: 'u', passwd: 'p' }],
  ['imaps', {}],
  ['ldap', { request: '/dc=example,dc=test' }],
  ['ldaps', {}],
  ['nntp', {}],
  ['ftp', { request: '/health.txt' }],
  ['simpletcp', { request: '/PING', receive: 'PONG' }],
  ['mysql', { login: 'u', request: '/SELECT 1' }],
  ['pgsql', { login: 'u', request: '/SELECT 1' }],
  ['dns', { protocol: 'tcp', request: '/www.test' }],
  ['sip', { protocol: 'tcp', login: 'probe@test' }],
];
/** Services where the server speaks first: a hostile reset must not wait for the client. */
const SERVER_FIRST = new Set<ServiceName>([
  'smtp',
  'submission',
  'pop',
  'pops',
  'imap',
  'imaps',
  'nntp',
  'ftp',
  'mysql',
]);
const TLS_SERVICES = new Set<ServiceName>(['pops', 'imaps', 'ldaps']);
const FAMILIES = ['127.0.0.1', '::1'] as const;

/** Sends half a greeting on connect, then a TCP RST. */
async function startGreetThenReset(host: string, greeting: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('close', () => sockets.delete(s));
    s.write(greeting.slice(0, Math.ceil(greeting.length / 2)), () => s.resetAndDestroy());
  });
  server.listen(0, host);
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const GREETING = '220 half a greeting that never ends\r\n';

interface Case {
  service: ServiceName;
  host: string;
  spec: CheckSpec;
}

async function runAll(cases: readonly Case[]): Promise<CheckResult[]> {
  return Promise.all(cases.map(({ service, spec }) => serviceChecks[service]!(spec, new AbortController().signal)));
}

function spec(service: ServiceName, host: string, port: number, extra: Partial<CheckSpec> = {}): CheckSpec {
  const over = SERVICES.find(([s]) => s === service)?.[1] ?? {};
  return makeSpec({ service, address: host, port, negotiatetimeout: 1, checktimeout: 1, ...over, ...extra });
}

function label(c: Case): RegExp {
  const hp = c.host.includes(':') ? `\\[${c.host.replace(/:/g, ':')}\\]` : c.host.replace(/\./g, '\\.');
  return new RegExp(`^[A-Z]+( tcp)? ${hp}:${c.spec.port}: `);
}

const EXPECT: Record<HostileKind | 'greet-reset', RegExp> = {
  silent: /timed out after 1 s|connection closed without a reply/,
  trickle: /timed out after 1 s|line longer|greeting|unexpected/,
  flood:
    /more than \d+ bytes|line longer than|greeting: "x|unexpected|malformed|query|Malformed|timed out after 1 s|TLS handshake failed|connect .*failed|bind .*failed|failed/,
  // A busy machine can deliver the half response and see the RST only as the end of the stream: simpletcp then
  // ends down on the line it did get ("no reply line matches …; first line …"), as readable a reason.
  reset:
    /ECONNRESET|closed|reset|timed out after 1 s|failed|no reply line matches \/.*\/; first line "HTTP\/1\.1 200 OK"/i,
  'greet-reset': /ECONNRESET|closed|reset|failed/i,
  http200: /./,
};

describe.each(['silent', 'trickle', 'flood', 'reset'] as const)('hostile %s server', (kind) => {
  it('every TCP service check ends down with a readable reason and leaks nothing', async () => {
    const servers: { close(): Promise<void> }[] = [];
    const cases: Case[] = [];
    const before = snapshotHandles();
    try {
      for (const [service] of SERVICES) {
        for (const host of FAMILIES) {
          let port: number;
          if (kind === 'reset' && SERVER_FIRST.has(service) && !TLS_SERVICES.has(service)) {
            const s = await startGreetThenReset(host, GREETING);
            servers.push(s);
            port = s.port;
          } else {
            const prefix = kind === 'flood' ? '' : kind === 'trickle' ? GREETING : undefined;
            const s: HostileServer = await startHostile(kind, { host, ...(prefix !== undefined ? { prefix } : {}) });
            servers.push(s);
            port = s.port;
          }
          cases.push({ service, host, spec: spec(service, host, port) });
        }
      }
      const results = await runAll(cases);
      const problems = results.flatMap((r, i) => {
        const c = cases[i]!;
        const bad = r.ok || !label(c).test(r.reason) || !EXPECT[kind].test(r.reason);
        return bad ? [`${c.service} ${c.host}: ${JSON.stringify(r)}`] : [];
      });
      expect(problems).toEqual([]);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
    expect(await leakedSince(before)).toEqual([]);
  });
});

describe('TLS services refuse bad certificates (tlsVerify, the test CA trusted, virtualhost backend.test)', () => {
  let tls: TlsFixtures;
  beforeAll(() => {
    tls = createTlsFixtures();
  });
  afterAll(() => tls?.cleanup());

  const CERTS = [
    ['wrongName', /ERR_TLS_CERT_ALTNAME_INVALID|Hostname\/IP does not match|not in the cert's list/],
    ['expired', /CERT_HAS_EXPIRED|certificate has expired/],
    ['selfSigned', /DEPTH_ZERO_SELF_SIGNED_CERT|self.signed certificate/],
  ] as const;

  // The verification error arrives with the handshake; a wide deadline keeps a slow handshake on a busy
  // machine from ending the check as a timeout first.
  const VERIFY_DEADLINE = { negotiatetimeout: 30, checktimeout: 30 } as const;

  it.each(CERTS)('%s certificate: pops, imaps, ldaps down with the verification error', async (which, pattern) => {
    const servers: HostileServer[] = [];
    const before = snapshotHandles();
    try {
      const cases: Case[] = [];
      for (const service of TLS_SERVICES) {
        const s = await startHostile('silent', { tls: { key: tls[which].key, cert: tls[which].cert } });
        servers.push(s);
        cases.push({
          service,
          host: '127.0.0.1',
          spec: spec(service, '127.0.0.1', s.port, {
            tlsVerify: true,
            tlsCa: tls.ca,
            virtualhost: 'backend.test',
            ...VERIFY_DEADLINE,
          }),
        });
      }
      const results = await runAll(cases);
      for (const r of results) {
        expect(r.ok).toBe(false);
        expect(r.reason).toMatch(pattern);
      }
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
    expect(await leakedSince(before)).toEqual([]);
  });

  it.each([
    ['the good certificate matching virtualhost', 'good', 'backend.test'],
    [
      'a wrong-name certificate when no virtualhost names what to expect (reals are addressed by IP)',
      'wrongName',
      undefined,
    ],
  ] as const)(
    '%s gets past the handshake (then times out on the silent server)',
    async (_title, which, virtualhost) => {
      const s = await startHostile('silent', { tls: { key: tls[which].key, cert: tls[which].cert } });
      try {
        const r = await serviceChecks.imaps!(
          spec('imaps', '127.0.0.1', s.port, {
            tlsVerify: true,
            tlsCa: tls.ca,
            ...(virtualhost ? { virtualhost } : {}),
          }),
          never,
        );
        expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/timed out after 1 s$/) });
      } finally {
        await s.close();
      }
    },
  );
});

describe('abort', () => {
  it('every TCP service check settles promptly when the caller aborts, and leaks nothing', async () => {
    const servers: HostileServer[] = [];
    const before = snapshotHandles();
    try {
      const cases: Case[] = [];
      for (const [service] of SERVICES) {
        const s = await startHostile('silent');
        servers.push(s);
        cases.push({
          service,
          host: '127.0.0.1',
          spec: spec(service, '127.0.0.1', s.port, { negotiatetimeout: 60, checktimeout: 60 }),
        });
      }
      const controller = new AbortController();
      setMaxListeners(cases.length + 5, controller.signal); // one shared signal for all the checks
      const pending = Promise.all(cases.map(({ service, spec: sp }) => serviceChecks[service]!(sp, controller.signal)));
      await waitFor(() => servers.every((s) => s.accepted() > 0));
      controller.abort();
      for (const r of await pending)
        expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/: check aborted$/) });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
    expect(await leakedSince(before)).toEqual([]);
  });
});

/** Yields to the event loop until `cond` holds (connections being accepted are events we cannot await). */
async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !cond(); i++) await new Promise((resolve) => setImmediate(resolve));
}
