// mysql against a real MariaDB and pgsql against a real PostgreSQL, each started once for this file.
import type { CheckSpec } from '../../../src/health/types';
import { mysqlCheck } from '../../../src/health/services/mysql';
import { pgsqlCheck } from '../../../src/health/services/pgsql';
import { startMariadb, type MariadbServer } from '../../support/daemons/mariadb';
import { startPostgres, type PostgresServer } from '../../support/daemons/postgres';
import { descendants } from '../../support/leaks';
import { makeSpec, never } from './spec-fixture';

let maria: MariadbServer;
let pg: PostgresServer;
beforeAll(async () => {
  [maria, pg] = await Promise.all([startMariadb(), startPostgres()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([maria?.stop(), pg?.stop()]);
  expect(descendants()).toEqual([]); // the daemons and everything they forked are gone
});

describe.each(['127.0.0.1', '::1'])('mysql on %s', (address) => {
  const spec = (over: Partial<CheckSpec>) =>
    makeSpec({
      service: 'mysql',
      address,
      port: maria.port,
      login: maria.user,
      passwd: maria.password,
      database: maria.database,
      request: '/SELECT ok FROM status',
      ...over,
    });
  it('up when the query returns a row', async () => {
    expect(await mysqlCheck(spec({}), never)).toMatchObject({
      ok: true,
      reason: expect.stringContaining('query returned 1 row'),
    });
  });
  it('down when the query returns no rows', async () => {
    const r = await mysqlCheck(spec({ request: '/SELECT ok FROM status WHERE ok = 2' }), never);
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('query returned no rows') });
  });
  it('down (not a crash) when the statement is invalid', async () => {
    const r = await mysqlCheck(spec({ request: '/SELEKT nonsense' }), never);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^MYSQL .*: query failed: You have an error in your SQL syntax/);
  });
  it('down with the server message when the password is wrong', async () => {
    const r = await mysqlCheck(spec({ passwd: 'wrong' }), never);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/connect as probe failed: Access denied for user 'probe'/);
  });
});

describe.each(['127.0.0.1', '::1'])('pgsql on %s', (address) => {
  const spec = (over: Partial<CheckSpec>) =>
    makeSpec({
      service: 'pgsql',
      address,
      port: pg.port,
      login: pg.user,
      passwd: pg.password,
      database: 'postgres',
      request: '/SELECT 1',
      ...over,
    });
  it('up when the query returns a row', async () => {
    expect(await pgsqlCheck(spec({}), never)).toMatchObject({
      ok: true,
      reason: expect.stringContaining('query returned 1 row'),
    });
  });
  it('down when the query returns no rows', async () => {
    const r = await pgsqlCheck(spec({ request: '/SELECT 1 WHERE false' }), never);
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('query returned no rows') });
  });
  it('down (not a crash) when the statement is invalid', async () => {
    const r = await pgsqlCheck(spec({ request: '/SELEKT nonsense' }), never);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^PGSQL .*: query failed: syntax error at or near "SELEKT"/);
  });
  it('down with the server message when the password is wrong', async () => {
    const r = await pgsqlCheck(spec({ passwd: 'wrong' }), never);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/connect as probe failed: password authentication failed for user "probe"/);
  });
  it('down when the query outlives negotiatetimeout (ldirectord had no timeout)', async () => {
    const r = await pgsqlCheck(spec({ request: '/SELECT pg_sleep(30)', negotiatetimeout: 1 }), never);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/timed out after 1 s|Query read timeout/);
  });
});

it.each([
  ['mysql', mysqlCheck],
  ['pgsql', pgsqlCheck],
] as const)('%s without login is down before connecting', async (service, check) => {
  const r = await check(makeSpec({ service, port: 1, request: '/SELECT 1' }), never);
  expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('no login= configured') });
});
