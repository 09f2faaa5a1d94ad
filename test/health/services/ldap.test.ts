import { ldapCheck } from '../../../src/health/services/ldap';
import { createTlsFixtures, type TlsFixtures } from '../../support/tls';
import { startSlapd, type SlapdServer } from '../../support/daemons/slapd';
import { descendants } from '../../support/leaks';
import { makeSpec, never } from './spec-fixture';

let tls: TlsFixtures;
let slapd: SlapdServer;
beforeAll(async () => {
  tls = createTlsFixtures();
  slapd = await startSlapd({
    certPath: tls.good.certPath,
    keyPath: tls.good.keyPath,
    ldif: 'dn: cn=probe,dc=example,dc=test\nobjectClass: person\ncn: probe\nsn: Probe\nuserPassword: probepw\n\n',
  });
});
afterAll(async () => {
  await slapd?.stop();
  tls?.cleanup();
  expect(descendants()).toEqual([]); // the daemons and everything they forked are gone
});

const matrix = (['ldap', 'ldaps'] as const).flatMap((s) => ['127.0.0.1', '::1'].map((a) => [s, a] as const));
const port = (s: 'ldap' | 'ldaps'): number => (s === 'ldap' ? slapd.ldap : slapd.ldaps);

describe.each(matrix)('%s on %s', (service, address) => {
  it('up: anonymous bind, base search finds exactly the base DN, DN matches receive', async () => {
    const r = await ldapCheck(
      makeSpec({ service, address, port: port(service), request: '/dc=example,dc=test', receive: 'dc=example' }),
      never,
    );
    expect(r).toMatchObject({ ok: true, reason: expect.stringContaining('found "dc=example,dc=test"') });
  });

  it('up: bind as a user DN with its password', async () => {
    const r = await ldapCheck(
      makeSpec({
        service,
        address,
        port: port(service),
        login: 'cn=probe,dc=example,dc=test',
        passwd: 'probepw',
        request: '/cn=probe,dc=example,dc=test',
      }),
      never,
    );
    expect(r).toMatchObject({ ok: true });
  });

  it('down: wrong password', async () => {
    const r = await ldapCheck(
      makeSpec({
        service,
        address,
        port: port(service),
        login: slapd.rootdn,
        passwd: 'wrong',
        request: '/dc=example,dc=test',
      }),
      never,
    );
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(
      new RegExp(
        `^${service.toUpperCase()} .*: bind as cn=admin,dc=example,dc=test failed: invalidCredentials \\(49\\)`,
      ),
    );
  });

  it('down: base DN does not exist', async () => {
    const r = await ldapCheck(
      makeSpec({ service, address, port: port(service), request: '/ou=missing,dc=example,dc=test' }),
      never,
    );
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/search of "ou=missing,dc=example,dc=test" failed: noSuchObject \(32\)/);
  });

  it('down: DN does not match receive', async () => {
    const r = await ldapCheck(
      makeSpec({ service, address, port: port(service), request: '/dc=example,dc=test', receive: '^ou=' }),
      never,
    );
    expect(r).toMatchObject({
      ok: false,
      reason: expect.stringContaining('response mismatch: DN "dc=example,dc=test" does not match /^ou=/'),
    });
  });
});

it('ldaps with tlsVerify: up with the trusted CA, down without it', async () => {
  const base = { service: 'ldaps' as const, port: slapd.ldaps, request: '/dc=example,dc=test', tlsVerify: true };
  expect((await ldapCheck(makeSpec({ ...base, tlsCa: tls.ca }), never)).ok).toBe(true);
  const r = await ldapCheck(makeSpec(base), never);
  expect(r.ok).toBe(false);
  expect(r.reason).toMatch(/unable to verify the first certificate/);
});

it('root DSE when request is /', async () => {
  const r = await ldapCheck(makeSpec({ service: 'ldap', port: slapd.ldap }), never);
  expect(r).toMatchObject({ ok: true, reason: expect.stringContaining('found ""') });
});
