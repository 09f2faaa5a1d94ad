// mysql: connect with login/passwd/database, run request (leading `/` removed), up when it returns ≥ 1 row.
// Bounded by negotiatetimeout (ldirectord has no timeout); the connection is destroyed when the probe
// settles, which is also how an abort ends a connect or query in flight.

import * as net from 'node:net';
import { createConnection, type Connection } from 'mysql2';
import { capBytes } from './byte-cap';
import type { Check } from '../types';
import { hostPort, probe, ProbeFailure, stripSlash } from './probe';
import { sqlPrerequisites } from './sql';

function connected(conn: Connection): Promise<void> {
  return new Promise((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
}

function rowCount(conn: Connection, sql: string, timeout: number): Promise<number> {
  return new Promise((resolve, reject) =>
    conn.query({ sql, timeout }, (err, result) =>
      err ? reject(err) : resolve(Array.isArray(result) ? result.length : 0),
    ),
  );
}

export const mysqlCheck: Check = (spec, signal) =>
  probe(`MYSQL ${hostPort(spec.address, spec.port)}`, spec, signal, async (ctx) => {
    sqlPrerequisites(spec);
    const conn = createConnection({
      host: spec.address,
      port: spec.port,
      user: spec.login,
      password: spec.passwd,
      ...(spec.database ? { database: spec.database } : {}),
      connectTimeout: ctx.timeoutMs,
      stream: () => capBytes(ctx, net.connect({ host: spec.address, port: spec.port }).setNoDelay(true)),
    });
    conn.on('error', () => undefined);
    ctx.defer(() => conn.destroy());
    try {
      await connected(conn);
    } catch (err) {
      throw new ProbeFailure(`connect as ${spec.login} failed: ${(err as Error).message}`);
    }
    let rows: number;
    try {
      rows = await rowCount(conn, stripSlash(spec.request), ctx.timeoutMs);
    } catch (err) {
      throw new ProbeFailure(`query failed: ${(err as Error).message}`);
    }
    if (rows < 1) throw new ProbeFailure('query returned no rows');
    return `query returned ${rows} row${rows === 1 ? '' : 's'}`;
  });
