// `ldirectord status` with a running daemon: fetch /status.json from the configured statusaddress and render
// the terminal table. Credentials (when statususers is set) come from LDIRECTORD_STATUS_USER and
// LDIRECTORD_STATUS_PASSWORD; over TLS the configured statustlscert is trusted in addition to the system CAs.
// Never throws: a problem is a one-line message for stderr (the action's exit code does not change).

import { readFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Config } from '../../model/config';
import { statusDirectivesOf } from '../http/directives-of';
import { statusSettings } from '../http/settings';
import { statusModelProblem, statusTable } from './table';
import type { StatusModel } from './model';

export type TableResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string }
  | { readonly ok: 'off' };

export interface FetchTableOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

const connectHost = (h: string): string => (h === '0.0.0.0' ? '127.0.0.1' : h === '::' ? '::1' : h);

/** @public loaded with require() (lazily) by the daemon's system parts, which knip does not follow */
export async function fetchStatusTable(config: Config, o: FetchTableOptions = {}): Promise<TableResult> {
  const env = o.env ?? process.env;
  let url = '';
  try {
    const s = statusSettings(statusDirectivesOf(config));
    if (!s.enabled) return { ok: 'off' };
    const host = connectHost(s.host);
    url = `${s.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${s.port}/status.json`;
    const headers: Record<string, string> = {};
    const user = env.LDIRECTORD_STATUS_USER;
    if (user !== undefined)
      headers.Authorization = `Basic ${Buffer.from(`${user}:${env.LDIRECTORD_STATUS_PASSWORD ?? ''}`).toString('base64')}`;
    const ca = s.tls
      ? [...(await import('node:tls')).rootCertificates, (await readFile(s.tls.cert)).toString('utf8')]
      : undefined;
    const { status, body } = await get(url, headers, ca, o.timeoutMs ?? 3000);
    if (status === 401)
      return {
        ok: false,
        message: `status table: ${url} wants credentials (LDIRECTORD_STATUS_USER, LDIRECTORD_STATUS_PASSWORD)`,
      };
    if (status !== 200) return { ok: false, message: `status table: ${url} answered ${status}` };
    const model = JSON.parse(body) as unknown;
    const problem = statusModelProblem(model);
    if (problem !== undefined) return { ok: false, message: `status table: ${url}: ${problem}` };
    const other = (model as StatusModel).configFile;
    if (other !== config.file)
      return {
        ok: false,
        message: `status table: ${url} is the status page of another ldirectord (${other}); give each instance its own statusaddress`,
      };
    return { ok: true, text: statusTable(model as StatusModel) };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return {
      ok: false,
      message: `status table: ${url || 'statusaddress'}: ${(e as Error).message}${typeof code === 'string' && !(e as Error).message.includes(code) ? ` (${code})` : ''}`,
    };
  }
}

function get(
  url: string,
  headers: Record<string, string>,
  ca: string[] | undefined,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const done = (res: http.IncomingMessage): void => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        if (body.length > 8 * 1024 * 1024) req.destroy(new Error('answer larger than 8 MiB'));
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    };
    const req =
      ca === undefined
        ? http.get(url, { headers, timeout: timeoutMs }, done)
        : https.get(url, { headers, timeout: timeoutMs, ca }, done);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
