// http, https and http_proxy negotiate checks with undici (reference §3.2): one request (GET or HEAD), up when
// the final status is 2xx and (receive is empty or the body matches receive as a JS regular expression).
// * The whole check is bounded by the pool's AbortSignal (negotiatetimeout); undici's own header/body
//   timeouts are set to the same value as a backstop.
// * At most MAX_BODY bytes of the body are read; a 100 MB answer costs 1 MiB, never 100 MB.
// * Redirects: followed only within the same origin (scheme, host, port), up to MAX_REDIRECTS; a redirect to
//   another origin is reported down (the reference follows it anywhere, which checks some other server).
// * TLS: SNI from virtualhost; tlsVerify=true verifies the chain (and the hostname when virtualhost is set),
//   tlsVerify=false verifies nothing. See docs/compat.md.
// Every path closes the connection (client.destroy) before the promise settles.
import { STATUS_CODES } from 'node:http';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { buildConnector, Client } from 'undici';
import type { Check, CheckResult, CheckSpec } from '../types';
import { httpTarget, type HttpTarget } from './http-target';

export const MAX_BODY = 1024 * 1024;
export const MAX_REDIRECTS = 3;

export interface HttpCheckOptions {
  /** Extra trusted CA certificates (PEM); default: Node's bundled roots (+ NODE_EXTRA_CA_CERTS). */
  readonly ca?: string | readonly string[];
}

interface Answer {
  readonly status: number;
  readonly location?: string;
  readonly body: string;
  readonly truncated: boolean;
}

function statusText(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

function errorText(err: unknown, spec: CheckSpec, signal: AbortSignal): string {
  if (signal.aborted) return `timed out after ${spec.negotiatetimeout} s`;
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  const message = e.cause?.message ?? e.message ?? String(err);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `timed out after ${spec.negotiatetimeout} s (${code})`;
  }
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

async function readBody(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = MAX_BODY - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (size >= MAX_BODY) {
      body.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

async function ask(client: Client, target: HttpTarget, path: string, spec: CheckSpec, signal: AbortSignal): Promise<Answer> {
  const headers: Record<string, string> = { 'user-agent': 'ldirectord-ts', connection: 'close' };
  if (target.host !== '') headers.host = target.host;
  const res = await client.request({ path, method: target.method, headers, signal });
  // Destroying a body we stop reading makes undici emit 'Request aborted' on it; that is our own doing.
  res.body.on('error', () => undefined);
  const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
  const wantBody = target.method === 'GET' && res.statusCode >= 200 && res.statusCode < 300;
  if (!wantBody) {
    res.body.destroy();
    return { status: res.statusCode, location, body: '', truncated: false };
  }
  const { text, truncated } = await readBody(res.body);
  return { status: res.statusCode, location, body: text, truncated };
}

function judge(spec: CheckSpec, label: string, answer: Answer): CheckResult {
  const status = statusText(answer.status);
  if (answer.status < 200 || answer.status >= 300) return { ok: false, reason: `${label}: ${status}`, durationMs: 0 };
  if (spec.receive === '' || spec.httpmethod === 'HEAD') return { ok: true, reason: `${label}: ${status}`, durationMs: 0 };
  let pattern: RegExp;
  try {
    pattern = new RegExp(spec.receive);
  } catch (err) {
    return { ok: false, reason: `${label}: receive is not a valid regular expression: ${(err as Error).message}`, durationMs: 0 };
  }
  if (pattern.test(answer.body)) return { ok: true, reason: `${label}: ${status}, body matches /${spec.receive}/`, durationMs: 0 };
  const excerpt = JSON.stringify(answer.body.slice(0, 80));
  const scope = answer.truncated ? `first ${MAX_BODY} bytes of the body` : 'body';
  return { ok: false, reason: `${label}: ${status} but the ${scope} does not match /${spec.receive}/ (starts ${excerpt})`, durationMs: 0 };
}

function tlsOptions(spec: CheckSpec, target: HttpTarget, options: HttpCheckOptions): Record<string, unknown> {
  const ca = options.ca === undefined ? undefined : Array.isArray(options.ca) ? [...options.ca] : [options.ca as string];
  const checkHost = spec.tlsVerify && spec.virtualhost !== undefined && target.servername !== undefined;
  return {
    rejectUnauthorized: spec.tlsVerify,
    ...(target.servername !== undefined ? { servername: target.servername } : {}),
    ...(ca !== undefined ? { ca } : {}),
    checkServerIdentity: checkHost
      ? (_host: string, cert: PeerCertificate) => checkServerIdentity(target.servername as string, cert)
      : () => undefined,
  };
}

/**
 * undici connectors, shared between checks with the same connect options (a connector per Client costs
 * about a quarter of a plain check's CPU). Keyed by timeout and the TLS settings that vary per check.
 */
type Connectors = (spec: CheckSpec, target: HttpTarget, limit: number) => buildConnector.connector;

const CONNECTOR_CACHE_LIMIT = 1024;

function connectorCache(options: HttpCheckOptions): Connectors {
  const cache = new Map<string, buildConnector.connector>();
  return (spec, target, limit) => {
    const secure = target.origin.startsWith('https:');
    const key = secure ? `${limit} ${spec.tlsVerify} ${spec.virtualhost ?? ''} ${target.servername ?? ''}` : `${limit}`;
    let connector = cache.get(key);
    if (connector === undefined) {
      if (cache.size >= CONNECTOR_CACHE_LIMIT) cache.clear();
      // No TLS session reuse: every check does a full handshake, so a certificate that expired or changed
      // is noticed at the next check, not when a cached session runs out.
      connector = buildConnector({ timeout: limit, maxCachedSessions: 0, ...(secure ? tlsOptions(spec, target, options) : {}) });
      cache.set(key, connector);
    }
    return connector;
  };
}

/**
 * close() when every request finished cleanly (destroy() always builds an error object, which showed up as
 * several per cent of a check's CPU); destroy() after a failure, or if the deadline passes while closing.
 */
async function release(client: Client, failed: boolean, signal: AbortSignal): Promise<void> {
  if (failed || signal.aborted) {
    await client.destroy().catch(() => undefined);
    return;
  }
  const onAbort = (): void => { client.destroy().catch(() => undefined); };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.close();
  } catch {
    await client.destroy().catch(() => undefined);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function checkOnce(spec: CheckSpec, signal: AbortSignal, connectors: Connectors): Promise<CheckResult> {
  let target: HttpTarget;
  try {
    target = httpTarget(spec);
  } catch (err) {
    return { ok: false, reason: `HTTP ${spec.httpmethod} ${spec.request}: invalid URL: ${(err as Error).message}`, durationMs: 0 };
  }
  const label = `HTTP ${target.method} ${target.url}`;
  const limit = spec.negotiatetimeout * 1000;
  const client = new Client(target.origin, {
    connect: connectors(spec, target, limit),
    headersTimeout: limit,
    bodyTimeout: limit,
    pipelining: 1,
  });
  let failed = false;
  try {
    let path = target.path;
    let here = target.url;
    for (let hop = 0; ; hop += 1) {
      const answer = await ask(client, target, path, spec, signal);
      if (answer.status < 300 || answer.status >= 400 || answer.location === undefined) {
        return judge(spec, hop === 0 ? label : `${label} (redirected to ${here})`, answer);
      }
      const next = new URL(answer.location, here.split(' via ')[0]);
      if (next.origin !== target.origin || hop >= MAX_REDIRECTS) {
        const why = hop >= MAX_REDIRECTS ? `more than ${MAX_REDIRECTS} redirects` : 'another origin, not followed';
        return { ok: false, reason: `${label}: ${statusText(answer.status)} redirect to ${next.href} (${why})`, durationMs: 0 };
      }
      path = `${next.pathname}${next.search}`;
      here = next.href;
    }
  } catch (err) {
    failed = true;
    return { ok: false, reason: `${label}: ${errorText(err, spec, signal)}`, durationMs: 0 };
  } finally {
    await release(client, failed, signal);
  }
}

export function createHttpCheck(options: HttpCheckOptions = {}): Check {
  const connectors = connectorCache(options);
  return async (spec, signal) => {
    const started = performance.now();
    const result = await checkOnce(spec, signal, connectors);
    return { ...result, durationMs: performance.now() - started };
  };
}

export const httpCheck: Check = createHttpCheck();
