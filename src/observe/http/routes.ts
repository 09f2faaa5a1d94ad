// The status server's routes:
//   GET  /             the status page (HTML, inline assets, CSP with a per-response nonce)
//   GET  /status.json  the status model
//   GET  /graphs.json  the page's graphs: SVG trees drawn from the recent history (status/graphs.ts); with
//                      `?only&v=ID&r=ID…` only those virtual and real servers' (the page asks for those in view)
//   GET  /metrics      Prometheus text format
//   POST /api/action   operator action (JSON body, see actions/parse-action.ts)
// Reads are open on loopback when no statususers file is configured; with one, every route needs Basic
// credentials. Actions always need credentials (401 otherwise, and nothing changes), plus CSRF guards: the
// custom header X-Ldirectord-Action (a cross-site form or no-CORS fetch cannot send it), a JSON content type,
// and an Origin, when sent, equal to this server's.
// Failed logins are rate-limited per client address (auth-limiter.ts: 429 without running scrypt; credentials
// that verified recently still pass). Without users, a Host header must name this server (the listen address,
// localhost, 127.0.0.1 or [::1]): a page on another name that resolves here (DNS rebinding) gets 403.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseActionRequest, type ActionRequest } from '../actions/parse-action';
import type { ActionOutcome } from '../actions/perform';
import { pageSecurityHeaders, statusPage } from '../status/page';
import type { StatusModel } from '../status/model';
import type { GraphsBody } from '../status/graph-feed';
import type { GraphIds } from '../status/graphs';
import type { AuthLimiter } from './auth-limiter';
import { authenticate, parseBasic, type AuthDecision, type Credentials } from './basic-auth';

export interface RouteDeps {
  readonly usersConfigured: boolean;
  readonly verify: (c: Credentials) => Promise<boolean>;
  readonly status: () => Promise<StatusModel>;
  /** The body of /graphs.json, all servers' or the selection's (absent: 404). */
  readonly graphs?: (selection?: GraphIds) => Promise<GraphsBody>;
  readonly metrics: () => Promise<{ contentType: string; body: string }>;
  readonly action: (req: ActionRequest, user: string) => Promise<ActionOutcome>;
  readonly pollMs: number;
  readonly tls: boolean;
  /** Reports a failure the client cannot see (logged by the caller). */
  readonly onError: (message: string) => void;
  /** Failed logins per client address; absent: not limited. */
  readonly limiter?: AuthLimiter;
  /** Credentials that verified recently (no scrypt needed): they pass the limiter. */
  readonly remembered?: (c: Credentials) => boolean;
  /** Host names (lower case, IPv6 in brackets) accepted when no users are configured; absent: any. */
  readonly hosts?: ReadonlySet<string>;
}

const MAX_BODY = 4096;
/** Ids one /graphs.json request may select: far more than a screen shows. */
const MAX_SELECTED = 1000;

/** `?only&v=ID&r=ID…` → the selection; no `only` → undefined (every server); too many ids → the problem. */
function graphSelection(url: string): GraphIds | undefined | string {
  const q = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  if (!q.has('only')) return undefined;
  const virtuals = q.getAll('v');
  const reals = q.getAll('r');
  if (virtuals.length + reals.length > MAX_SELECTED) return `at most ${MAX_SELECTED} servers per /graphs.json request`;
  return { virtuals, reals };
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
const json = (res: ServerResponse, status: number, v: unknown): void =>
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(v)}\n`);
const problem = (res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}): void =>
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify({ error })}\n`, headers);

const VARY = { Vary: 'Accept-Encoding' };
const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="ldirectord", charset="UTF-8"' };

/** The body, or undefined when larger than MAX_BODY (the rest is read and dropped; requestTimeout bounds it). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Why an action request fails the CSRF guards, or undefined. */
export function csrfProblem(req: Pick<IncomingMessage, 'headers'>, tls: boolean): string | undefined {
  if (req.headers['x-ldirectord-action'] !== '1') return 'missing header X-Ldirectord-Action: 1';
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return 'Content-Type must be application/json';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `${tls ? 'https' : 'http'}://${req.headers.host ?? ''}`)
    return `cross-origin request from ${origin} refused`;
  return undefined;
}

/** The host name of a Host header, lower case, without the port (IPv6 kept in brackets). */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':', 1)[0] as string;
}

/** The names a Host header may carry when there are no users: the listen address and loopback's names. */
export function allowedHosts(listenHost: string): ReadonlySet<string> {
  const own = listenHost.includes(':') ? `[${listenHost.toLowerCase()}]` : listenHost.toLowerCase();
  return new Set([own, 'localhost', '127.0.0.1', '[::1]']);
}

export function createRoutes(d: RouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const host = req.headers.host;
    if (!d.usersConfigured && d.hosts !== undefined && host !== undefined && !d.hosts.has(hostName(host))) {
      return problem(
        res,
        403,
        `Host ${JSON.stringify(host.slice(0, 100))} is not this server's name (use ${[...d.hosts].join(', ')})`,
      );
    }
    const client = req.socket.remoteAddress ?? '?';
    const given = d.usersConfigured ? parseBasic(req.headers.authorization) : undefined;
    if (given !== undefined && d.limiter !== undefined && !(d.remembered?.(given) ?? false)) {
      const wait = d.limiter.waitMs(client);
      if (wait > 0)
        return problem(res, 429, 'too many failed logins from this address; try again later', {
          'Retry-After': String(Math.ceil(wait / 1000)),
        });
    }
    const auth: AuthDecision = await authenticate(req.headers.authorization, d.usersConfigured, d.verify);
    if (auth === 'denied' && given !== undefined) d.limiter?.failed(client);
    if (auth === 'denied') return problem(res, 401, 'authentication required', CHALLENGE);
    const known =
      path === '/' ||
      path === '/status.json' ||
      path === '/metrics' ||
      path === '/api/action' ||
      (path === '/graphs.json' && d.graphs !== undefined);
    if (!known) return problem(res, 404, `no such page: ${path}`);
    if (path === '/api/action') {
      if (req.method !== 'POST') return problem(res, 405, 'use POST', { Allow: 'POST' });
      if (auth !== 'ok')
        return problem(res, 401, 'operator actions need credentials (configure statususers)', CHALLENGE);
      const csrf = csrfProblem(req, d.tls);
      if (csrf !== undefined) return problem(res, 403, csrf);
      const tooBig = { Connection: 'close' };
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY)
        return problem(res, 413, `request body larger than ${MAX_BODY} bytes`, tooBig);
      const body = await readBody(req);
      if (body === undefined) return problem(res, 413, `request body larger than ${MAX_BODY} bytes`, tooBig);
      const parsed = parseActionRequest(body);
      if (!parsed.ok) return problem(res, 400, parsed.error);
      const user = parseBasic(req.headers.authorization)?.user ?? '';
      try {
        return json(res, 200, await d.action(parsed.value, user));
      } catch (e) {
        const status = (e as { status?: unknown }).status;
        return problem(res, typeof status === 'number' ? status : 500, (e as Error).message);
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return problem(res, 405, 'use GET', { Allow: 'GET, HEAD' });
    if (path === '/status.json') return json(res, 200, await d.status());
    if (path === '/graphs.json' && d.graphs !== undefined) {
      const selection = graphSelection(req.url ?? '/');
      if (typeof selection === 'string') return problem(res, 400, selection);
      const g = await d.graphs(selection);
      const type = 'application/json; charset=utf-8';
      if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return send(res, 200, type, g.text, VARY);
      return send(res, 200, type, await g.gzip(), { ...VARY, 'Content-Encoding': 'gzip' });
    }
    if (path === '/metrics') {
      const m = await d.metrics();
      return send(res, 200, m.contentType, m.body);
    }
    const nonce = randomBytes(16).toString('base64');
    return send(res, 200, 'text/html; charset=utf-8', statusPage(nonce, d.pollMs), pageSecurityHeaders(nonce));
  };
  return (req, res) => {
    handle(req, res).catch((e: unknown) => {
      d.onError(`status server: ${req.method ?? '?'} ${req.url ?? '?'}: ${(e as Error).message ?? String(e)}`);
      if (!res.headersSent) problem(res, 500, 'internal error');
      else res.destroy();
    });
  };
}
