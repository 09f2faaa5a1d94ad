// The frame every service check runs in: one deadline (negotiatetimeout, or the pool's abort, whichever comes
// first), one disposer stack for sockets and timers, and the conversion of a failure into a CheckResult.
// A check body throws ProbeFailure (or anything) for "down"; it returns a short success text for "up".

import type { CheckResult, CheckSpec } from '../types';

/** An expected failure of a probe; its message becomes the result's reason after the target label. */
export class ProbeFailure extends Error {
  readonly code = 'PROBE_FAILED';
}

export interface ProbeContext {
  /** Aborts at the deadline or when the caller's signal aborts. */
  readonly signal: AbortSignal;
  /** Registers a teardown; run in reverse order when the probe settles, whatever the outcome. */
  defer(dispose: () => void): void;
  /** The deadline in milliseconds (for libraries that take their own timeouts). */
  readonly timeoutMs: number;
  /** Ends the probe now as down with this reason (e.g. from a socket listener outside the body's awaits). */
  fail(reason: string): void;
}

export type ProbeBody = (ctx: ProbeContext) => Promise<string>;

/** `127.0.0.1:25`, `[::1]:25`. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Seconds → milliseconds, clamped to something sane (a zero or NaN timeout would make every check fail). */
export function timeoutMs(seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 30_000;
}

/**
 * Runs `body` under `label` (`SMTP 127.0.0.1:25`) and never rejects. The deadline is the spec's
 * negotiatetimeout unless `seconds` is given (ldap and radius follow checktimeout, as the reference does).
 */
export async function probe(
  label: string,
  spec: CheckSpec,
  callerSignal: AbortSignal,
  body: ProbeBody,
  seconds: number = spec.negotiatetimeout,
): Promise<CheckResult> {
  const limitMs = timeoutMs(seconds);
  const controller = new AbortController();
  const disposers: (() => void)[] = [];
  let settled = false;
  const finish = (ok: boolean, reason: string): CheckResult => ({
    ok,
    reason: `${label}: ${oneLine(reason)}`,
    durationMs: 0, // the pool times every check
  });
  const abortFromCaller = (): void => controller.abort(new ProbeFailure('check aborted'));
  if (callerSignal.aborted) return finish(false, 'check aborted before it started');
  if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535) {
    // fwmark reals have port 0: without checkport (or a service default) there is nothing to connect to
    return finish(false, `no port to check (port ${spec.port}); set checkport`);
  }
  callerSignal.addEventListener('abort', abortFromCaller, { once: true });
  const timer = setTimeout(() => controller.abort(new ProbeFailure(`timed out after ${limitMs / 1000} s`)), limitMs);
  try {
    const aborted = new Promise<never>((_, reject) => {
      const fail = (): void => reject(controller.signal.reason);
      if (controller.signal.aborted) fail();
      else controller.signal.addEventListener('abort', fail, { once: true });
    });
    aborted.catch(() => undefined);
    const ctx: ProbeContext = {
      signal: controller.signal,
      // A resource acquired after the probe settled (a library still connecting) is released at once.
      defer: (d) => (settled ? runQuietly(d) : disposers.push(d)),
      timeoutMs: limitMs,
      fail: (reason) => controller.abort(new ProbeFailure(reason)),
    };
    const text = await Promise.race([body(ctx), aborted]);
    return finish(true, text);
  } catch (err) {
    return finish(false, describe(err));
  } finally {
    settled = true;
    clearTimeout(timer);
    callerSignal.removeEventListener('abort', abortFromCaller);
    if (!controller.signal.aborted) controller.abort(new ProbeFailure('check finished'));
    for (const dispose of disposers.reverse()) runQuietly(dispose);
  }
}

function runQuietly(dispose: () => void): void {
  try {
    dispose();
  } catch {
    // a teardown that fails has nothing left to release
  }
}

/** A readable reason from anything thrown: our failures verbatim, socket and TLS errors by code. */
export function describe(err: unknown): string {
  if (err instanceof ProbeFailure) return err.message;
  if (err instanceof Error) return errorText(err);
  return String(err);
}

/**
 * `ECONNREFUSED` for a failed syscall, `ERR_SSL_WRONG_VERSION_NUMBER (wrong version number)` for OpenSSL
 * (whose messages carry source paths), `CODE message` otherwise.
 */
export function errorText(err: Error): string {
  const e = err as NodeJS.ErrnoException & { reason?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && typeof e.reason === 'string') return `${code} (${e.reason})`;
  if (code && e.syscall) return code;
  const msg = err.message || String(err);
  return code && !msg.includes(code) ? `${code} ${msg}` : msg;
}

/** Reasons are log lines: newlines and runs of blanks collapse to one separator. */
function oneLine(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, '; ')
    .replace(/[\t ]{2,}/g, ' ')
    .trim();
}

/** The request with ldirectord's leading `/` removed (request `/` → ''). */
export function stripSlash(request: string): string {
  return request.startsWith('/') ? request.slice(1) : request;
}
