// pgsql: connect with login/passwd/database, run request (leading `/` removed), up when it returns ≥ 1 row.
// Unlike ldirectord (no timeout at all), connect and query are bounded by negotiatetimeout and the abort
// signal ends the connection. A failing statement is a down result, never a crash.

import { Socket } from 'node:net';
import { Client } from 'pg';
import { capBytes } from './byte-cap';
import type { Check } from '../types';
import { hostPort, probe, ProbeFailure, stripSlash } from './probe';
import { sqlPrerequisites } from './sql';

export const pgsqlCheck: Check = (spec, signal) =>
  probe(`PGSQL ${hostPort(spec.address, spec.port)}`, spec, signal, async (ctx) => {
    sqlPrerequisites(spec);
    const client = new Client({
      host: spec.address,
      port: spec.port,
      user: spec.login,
      password: spec.passwd,
      database: spec.database || undefined,
      connectionTimeoutMillis: ctx.timeoutMs,
      query_timeout: ctx.timeoutMs,
      application_name: 'ldirectord',
      stream: () => capBytes(ctx, new Socket()),
    });
    client.on('error', () => undefined);
    ctx.defer(() => {
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
    } catch (err) {
      throw new ProbeFailure(`connect as ${spec.login} failed: ${(err as Error).message}`);
    }
    let rows: number;
    try {
      rows = (await client.query(stripSlash(spec.request))).rows.length;
    } catch (err) {
      throw new ProbeFailure(`query failed: ${(err as Error).message}`);
    }
    if (rows < 1) throw new ProbeFailure('query returned no rows');
    return `query returned ${rows} row${rows === 1 ? '' : 's'}`;
  });
