// http, https and http_proxy negotiate checks (docs/behaviour.md §3.2): one request (GET or HEAD), up when the final
// status is 2xx and (receive is empty or the body matches receive as a JS regular expression).
// * Each check opens a new TCP connection, as ldirectord and keepalived do: a kept-alive connection would
//   not notice a server that has stopped accepting, and would hold one of its workers between checks.
// * Plain http and http_proxy: a minimal HTTP/1.1 exchange on node:net (http-plain.ts); https: undici
//   (http-undici.ts). Why: docs/decisions/007-http-check-cost.md.
// * The whole check is bounded by the pool's AbortSignal (negotiatetimeout); undici's own header/body
//   timeouts are set to the same value as a backstop.
// * At most MAX_BODY bytes of the body are read; a 100 MB answer costs 1 MiB, never 100 MB.
// * Redirects: followed only within the same origin (scheme, host, port), up to MAX_REDIRECTS; a redirect to
//   another origin is reported down (the reference follows it anywhere, which checks some other server).
// Every path closes the connection before the promise settles.
import { STATUS_CODES } from 'node:http';
import type { Check, CheckResult, CheckSpec } from '../types';
import { flat } from '../../model/flat';
import { plainExchange } from './http-plain';
import type { Answer } from './http-response';
import { httpTarget, type HttpTarget } from './http-target';
import type { HttpCheckOptions, Session } from './http-undici';

export type { HttpCheckOptions } from './http-undici';

export const MAX_BODY = 1024 * 1024;
export const MAX_REDIRECTS = 3;

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

/** The compiled receive pattern (or why it does not compile), kept per pattern text (bounded). */
function receivePattern(patterns: Map<string, RegExp | string>, receive: string): RegExp | string {
  let pattern = patterns.get(receive);
  if (pattern === undefined) {
    try {
      pattern = new RegExp(receive);
    } catch (err) {
      pattern = (err as Error).message;
    }
    if (patterns.size >= 4096) patterns.clear();
    patterns.set(receive, pattern);
  }
  return pattern;
}

function judge(patterns: Map<string, RegExp | string>, spec: CheckSpec, label: string, answer: Answer): CheckResult {
  const status = statusText(answer.status);
  if (answer.status < 200 || answer.status >= 300) return { ok: false, reason: `${label}: ${status}`, durationMs: 0 };
  if (spec.receive === '' || spec.httpmethod === 'HEAD')
    return { ok: true, reason: `${label}: ${status}`, durationMs: 0 };
  const pattern = receivePattern(patterns, spec.receive);
  if (typeof pattern === 'string') {
    return { ok: false, reason: `${label}: receive is not a valid regular expression: ${pattern}`, durationMs: 0 };
  }
  if (pattern.test(answer.body))
    return { ok: true, reason: `${label}: ${status}, body matches /${spec.receive}/`, durationMs: 0 };
  const excerpt = JSON.stringify(answer.body.slice(0, 80));
  const scope = answer.truncated ? `first ${MAX_BODY} bytes of the body` : 'body';
  return {
    ok: false,
    reason: `${label}: ${status} but the ${scope} does not match /${spec.receive}/ (starts ${excerpt})`,
    durationMs: 0,
  };
}

type Sessions = (spec: CheckSpec, target: HttpTarget, maxBody: number, signal: AbortSignal) => Session;

/** Plain http: a new connection per request, so nothing to keep between redirect hops. */
function plainSession(_spec: CheckSpec, target: HttpTarget, maxBody: number, signal: AbortSignal): Session {
  return { ask: (path) => plainExchange(target, path, maxBody, signal), close: () => Promise.resolve() };
}

/** What a spec's check needs that does not change between runs, derived once per spec object. */
interface Prepared {
  readonly target: HttpTarget;
  readonly label: string;
  readonly secure: boolean;
}

/** What one HTTP check keeps between runs: compiled receive patterns, and each spec's derived target. */
interface HttpMemo {
  readonly patterns: Map<string, RegExp | string>;
  readonly prepared: WeakMap<CheckSpec, Prepared | CheckResult>;
}

function prepare(prepared: HttpMemo['prepared'], spec: CheckSpec): Prepared | CheckResult {
  let p = prepared.get(spec);
  if (p === undefined) {
    try {
      const target = httpTarget(spec);
      p = { target, label: flat`HTTP ${target.method} ${target.url}`, secure: target.origin.startsWith('https:') };
    } catch (err) {
      p = {
        ok: false,
        reason: `HTTP ${spec.httpmethod} ${spec.request}: invalid URL: ${(err as Error).message}`,
        durationMs: 0,
      };
    }
    prepared.set(spec, p);
  }
  return p;
}

async function checkOnce(memo: HttpMemo, spec: CheckSpec, signal: AbortSignal, secure: Sessions): Promise<CheckResult> {
  const p = prepare(memo.prepared, spec);
  if ('ok' in p) return p;
  const { target, label } = p;
  const session = (p.secure ? secure : plainSession)(spec, target, MAX_BODY, signal);
  let failed = false;
  try {
    let path = target.path;
    let here = target.url;
    for (let hop = 0; ; hop += 1) {
      const answer = await session.ask(path);
      if (answer.status < 300 || answer.status >= 400 || answer.location === undefined) {
        return judge(memo.patterns, spec, hop === 0 ? label : `${label} (redirected to ${here})`, answer);
      }
      const next = new URL(answer.location, here.split(' via ')[0]);
      if (next.origin !== target.origin || hop >= MAX_REDIRECTS) {
        const why = hop >= MAX_REDIRECTS ? `more than ${MAX_REDIRECTS} redirects` : 'another origin, not followed';
        return {
          ok: false,
          reason: `${label}: ${statusText(answer.status)} redirect to ${next.href} (${why})`,
          durationMs: 0,
        };
      }
      path = `${next.pathname}${next.search}`;
      here = next.href;
    }
  } catch (err) {
    failed = true;
    return { ok: false, reason: `${label}: ${errorText(err, spec, signal)}`, durationMs: 0 };
  } finally {
    await session.close(failed);
  }
}

/**
 * undici is loaded with the first https check: it costs ~130 ms of start-up and ~18 MB of memory on the host
 * (far more start-up in the guest kernel), which a director with plain http checks only should not pay.
 */
function lazyUndiciSessions(options: HttpCheckOptions): Sessions {
  let sessions: Sessions | undefined;
  return (spec, target, maxBody, signal) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy loading, see above
    sessions ??= (require('./http-undici') as typeof import('./http-undici')).undiciSessions(options);
    return sessions(spec, target, maxBody, signal);
  };
}

export function createHttpCheck(options: HttpCheckOptions = {}): Check {
  const secure = lazyUndiciSessions(options);
  const memo: HttpMemo = { patterns: new Map(), prepared: new WeakMap() };
  // durationMs stays 0: the pool times every check.
  return (spec, signal) => checkOnce(memo, spec, signal, secure);
}
