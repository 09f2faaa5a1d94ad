// The https exchange: undici, a new Client (so a new TCP connection and a full TLS handshake) per check,
// kept across the same-origin redirects of that check. TLS: SNI from virtualhost; tlsVerify=true verifies the
// chain (and the hostname when virtualhost is set), tlsVerify=false verifies nothing (docs/compat.md).
// Plain http does not come here: see http-plain.ts and docs/decisions/007-http-check-cost.md.
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { buildConnector, Client } from 'undici';
import type { CheckSpec } from '../types';
import type { Answer } from './http-response';
import type { HttpTarget } from './http-target';

export interface HttpCheckOptions {
  /** Extra trusted CA certificates (PEM); default: Node's bundled roots (+ NODE_EXTRA_CA_CERTS). */
  readonly ca?: string | readonly string[];
}

/** One check's connection: asked once per redirect hop, closed once at the end. */
export interface Session {
  ask(path: string): Promise<Answer>;
  close(failed: boolean): Promise<void>;
}

async function readBody(
  body: AsyncIterable<Buffer> & { destroy(): void },
  maxBody: number,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = maxBody - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (size >= maxBody) {
      body.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

async function ask(
  client: Client,
  target: HttpTarget,
  path: string,
  maxBody: number,
  signal: AbortSignal,
): Promise<Answer> {
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
  const { text, truncated } = await readBody(res.body, maxBody);
  return { status: res.statusCode, location, body: text, truncated };
}

function tlsOptions(spec: CheckSpec, target: HttpTarget, options: HttpCheckOptions): Record<string, unknown> {
  const ca =
    options.ca === undefined ? undefined : Array.isArray(options.ca) ? [...options.ca] : [options.ca as string];
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

const CONNECTOR_CACHE_LIMIT = 1024;

/**
 * undici connectors, shared between checks with the same connect options (a connector per Client costs
 * about a quarter of a check's CPU). Keyed by timeout and the TLS settings that vary per check.
 */
function connectorCache(
  options: HttpCheckOptions,
): (spec: CheckSpec, target: HttpTarget, limit: number) => buildConnector.connector {
  const cache = new Map<string, buildConnector.connector>();
  return (spec, target, limit) => {
    const secure = target.origin.startsWith('https:');
    const key = secure ? `${limit} ${spec.tlsVerify} ${spec.virtualhost ?? ''} ${target.servername ?? ''}` : `${limit}`;
    let connector = cache.get(key);
    if (connector === undefined) {
      if (cache.size >= CONNECTOR_CACHE_LIMIT) cache.clear();
      // No TLS session reuse: every check does a full handshake, so a certificate that expired or changed
      // is noticed at the next check, not when a cached session runs out.
      connector = buildConnector({
        timeout: limit,
        maxCachedSessions: 0,
        ...(secure ? tlsOptions(spec, target, options) : {}),
      });
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
  const onAbort = (): void => {
    client.destroy().catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.close();
  } catch {
    await client.destroy().catch(() => undefined);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Sessions on undici for the checks of one http check instance (sharing its connector cache).
 * @public loaded with require() (lazily), which knip does not follow
 */
export function undiciSessions(
  options: HttpCheckOptions,
): (spec: CheckSpec, target: HttpTarget, maxBody: number, signal: AbortSignal) => Session {
  const connectors = connectorCache(options);
  return (spec, target, maxBody, signal) => {
    const limit = spec.negotiatetimeout * 1000;
    const client = new Client(target.origin, {
      connect: connectors(spec, target, limit),
      headersTimeout: limit,
      bodyTimeout: limit,
      pipelining: 1,
    });
    return {
      ask: (path) => ask(client, target, path, maxBody, signal),
      close: (failed) => release(client, failed, signal),
    };
  };
}
