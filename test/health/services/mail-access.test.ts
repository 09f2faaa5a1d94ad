// imap, imaps, pop, pops against a real dovecot with a passwd-file user.
import { imapCheck, imapQuote } from '../../../src/health/services/imap';
import { popCheck } from '../../../src/health/services/pop';
import { createTlsFixtures, type TlsFixtures } from '../../support/tls';
import { startDovecot, type DovecotServer } from '../../support/daemons/dovecot';
import { descendants } from '../../support/leaks';
import { makeSpec, never } from './spec-fixture';

let tls: TlsFixtures;
let dovecot: DovecotServer;
beforeAll(async () => {
  tls = createTlsFixtures();
  dovecot = await startDovecot({
    user: 'probe',
    password: 'se"cret',
    certPath: tls.good.certPath,
    keyPath: tls.good.keyPath,
  });
});
afterAll(async () => {
  await dovecot?.stop();
  tls?.cleanup();
  expect(descendants()).toEqual([]); // the daemons and everything they forked are gone
});

type Svc = 'imap' | 'imaps' | 'pop' | 'pops';
const check = (s: Svc) => (s.startsWith('imap') ? imapCheck : popCheck);
const port = (s: Svc): number =>
  ({ imap: dovecot.imap, imaps: dovecot.imaps, pop: dovecot.pop3, pops: dovecot.pop3s })[s];
const services: Svc[] = ['imap', 'imaps', 'pop', 'pops'];
const addresses = ['127.0.0.1', '::1'];
const matrix = services.flatMap((s) => addresses.map((a) => [s, a] as [Svc, string]));

it('quotes IMAP strings', () => {
  expect(imapQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
});

describe.each(matrix)('%s on %s', (service, address) => {
  it('up on the greeting alone when no login is set', async () => {
    const r = await check(service)(makeSpec({ service, address, port: port(service) }), never);
    expect(r).toMatchObject({ ok: true });
    expect(r.reason).toMatch(service.startsWith('imap') ? /: "\* OK / : /: "\+OK /);
  });

  it('up when the login succeeds', async () => {
    const r = await check(service)(
      makeSpec({ service, address, port: port(service), login: 'probe', passwd: 'se"cret' }),
      never,
    );
    expect(r).toMatchObject({ ok: true, reason: expect.stringContaining('logged in as probe') });
  });

  it('down, with the server reply, when the password is wrong', async () => {
    const r = await check(service)(
      makeSpec({ service, address, port: port(service), login: 'probe', passwd: 'wrong' }),
      never,
    );
    expect(r.ok).toBe(false);
    const label = `${service.toUpperCase()} ${address.includes(':') ? `[${address}]` : address}:${port(service)}`;
    expect(r.reason.startsWith(`${label}: `)).toBe(true);
    expect(r.reason).toMatch(
      service.startsWith('imap')
        ? /LOGIN as probe failed: NO \[AUTHENTICATIONFAILED\]/
        : /login as probe failed: "-ERR \[AUTH\]/,
    );
  });
});

describe('TLS verification (tlsVerify with the test CA)', () => {
  it.each(['imaps', 'pops'] as const)(
    '%s: up with a certificate from a trusted CA naming the address',
    async (service) => {
      const r = await check(service)(makeSpec({ service, port: port(service), tlsVerify: true, tlsCa: tls.ca }), never);
      expect(r).toMatchObject({ ok: true });
    },
  );
  it.each(['imaps', 'pops'] as const)('%s: down when the CA is not trusted', async (service) => {
    const r = await check(service)(makeSpec({ service, port: port(service), tlsVerify: true }), never);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(
      /TLS handshake failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE unable to verify the first certificate$/,
    );
  });
});

it('pop without login is down when nothing listens (ldirectord said up)', async () => {
  const r = await popCheck(makeSpec({ service: 'pop', port: 1 }), never);
  expect(r.ok).toBe(false);
  expect(r.reason).toMatch(/^POP 127\.0\.0\.1:1: connect failed: ECONNREFUSED/);
});
