// A bounded, abortable line-oriented conversation over TCP or TLS, shared by the text protocols (smtp, pop,
// imap, nntp, ftp, simpletcp). Every read is bounded: a line longer than maxLine or a conversation larger
// than maxBytes fails the probe instead of being buffered, so a server sending 100 MB costs us nothing.

import * as net from 'node:net';
import * as tls from 'node:tls';
import { errorText, ProbeFailure, type ProbeContext } from './probe';

export interface StreamOptions {
  readonly host: string;
  readonly port: number;
  /**
   * Implicit TLS (pops, imaps). verify: chain and expiry against the system store plus `ca`; the name is
   * checked only when `name` is given (virtualhost), which is also sent as SNI.
   */
  readonly tls?: { readonly verify: boolean; readonly ca?: string | undefined; readonly name?: string | undefined };
  readonly maxLine?: number;
  readonly maxBytes?: number;
}

export const DEFAULT_MAX_LINE = 4096;
export const DEFAULT_MAX_BYTES = 256 * 1024;

/** One open conversation. Reads fail with a ProbeFailure naming what was awaited. */
export class LineStream {
  private buffered: Buffer = Buffer.alloc(0);
  private total = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    readonly socket: net.Socket,
    private readonly maxLine: number,
    private readonly maxBytes: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('close', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', (err) => {
      this.failure ??= err;
      this.notify();
    });
  }

  private onData(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.total > this.maxBytes) {
      this.failure ??= new ProbeFailure(`server sent more than ${this.maxBytes} bytes`);
      this.socket.destroy();
    } else {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      if (this.buffered.indexOf(10) < 0 && this.buffered.length > this.maxLine) {
        this.failure ??= new ProbeFailure(`line longer than ${this.maxLine} bytes`);
        this.socket.destroy();
      }
    }
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private waitForEvent(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** The next line without its CR LF. `what` names the awaited thing in failures ("greeting"). */
  async readLine(what: string): Promise<string> {
    for (;;) {
      const nl = this.buffered.indexOf(10);
      if (nl >= 0) {
        const line = this.buffered.subarray(0, nl).toString('latin1').replace(/\r$/, '');
        this.buffered = this.buffered.subarray(nl + 1);
        return line;
      }
      if (this.failure) throw wrap(this.failure, what);
      if (this.ended) {
        if (this.buffered.length > 0) {
          const rest = this.buffered.toString('latin1');
          this.buffered = Buffer.alloc(0);
          return rest;
        }
        throw new ProbeFailure(`connection closed by server while waiting for ${what}`);
      }
      await this.waitForEvent();
    }
  }

  /** The next line, or undefined at a clean end of stream. */
  async readLineOrEnd(what: string): Promise<string | undefined> {
    for (;;) {
      if (this.buffered.indexOf(10) >= 0 || (this.buffered.length > 0 && this.ended)) return this.readLine(what);
      if (this.failure) throw wrap(this.failure, what);
      if (this.ended) return undefined;
      await this.waitForEvent();
    }
  }

  /** Everything until the server closes (bounded by maxBytes). */
  async readToEnd(what: string): Promise<Buffer> {
    while (!this.ended) {
      if (this.failure) throw wrap(this.failure, what);
      await this.waitForEvent();
    }
    if (this.failure) throw wrap(this.failure, what);
    const all = this.buffered;
    this.buffered = Buffer.alloc(0);
    return all;
  }

  /** Whatever has arrived (at least one byte), consumed. */
  async readSome(what: string): Promise<Buffer> {
    for (;;) {
      if (this.buffered.length > 0) {
        const some = this.buffered;
        this.buffered = Buffer.alloc(0);
        return some;
      }
      if (this.failure) throw wrap(this.failure, what);
      if (this.ended) throw new ProbeFailure(`connection closed by server while waiting for ${what}`);
      await this.waitForEvent();
    }
  }

  write(text: string): void {
    if (!this.socket.destroyed) this.socket.write(text, 'latin1');
  }

  /** Half-close: no more requests. */
  end(text?: string): void {
    if (this.socket.destroyed) return;
    if (text === undefined) this.socket.end();
    else this.socket.end(text, 'latin1');
  }
}

/**
 * TLS options shared by every TLS service check: trusted CAs (the system store plus `extra`), and the
 * identity: with `name` (virtualhost) SNI is sent and the certificate must match it; without it the real is
 * addressed by IP and no name is checked (as the core https check does).
 */
export function tlsIdentity(extra: string | undefined, name: string | undefined): tls.ConnectionOptions {
  const named = name !== undefined && name !== '';
  return {
    ...(extra ? { ca: [...tls.rootCertificates, extra] } : {}),
    ...(named && !net.isIP(name) ? { servername: name } : {}),
    checkServerIdentity: (_host, cert) => (named ? tls.checkServerIdentity(name, cert) : undefined),
  };
}

function wrap(err: Error, what: string): Error {
  if (err instanceof ProbeFailure) return err;
  return new ProbeFailure(`${errorText(err)} while waiting for ${what}`);
}

/**
 * Connects (and for TLS completes the handshake) under the probe's deadline. The socket is destroyed when the
 * probe settles, however it ends.
 */
export function openStream(ctx: ProbeContext, opts: StreamOptions): Promise<LineStream> {
  return new Promise((resolve, reject) => {
    const family = net.isIPv6(opts.host) ? 6 : 4;
    const socket = opts.tls
      ? tls.connect({
          host: opts.host,
          port: opts.port,
          rejectUnauthorized: opts.tls.verify,
          ...tlsIdentity(opts.tls.ca, opts.tls.name),
        })
      : net.connect({ host: opts.host, port: opts.port, family });
    ctx.defer(() => socket.destroy());
    const onAbort = (): void => {
      socket.destroy();
      reject(ctx.signal.reason);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    ctx.defer(() => ctx.signal.removeEventListener('abort', onAbort));
    const ready = opts.tls ? 'secureConnect' : 'connect';
    const onError = (err: Error): void => {
      const code = (err as NodeJS.ErrnoException).code;
      const what = opts.tls && code !== 'ECONNREFUSED' ? 'TLS handshake failed' : 'connect failed';
      reject(new ProbeFailure(`${what}: ${errorText(err)}`));
    };
    socket.once('error', onError);
    socket.once(ready, () => {
      socket.off('error', onError);
      resolve(new LineStream(socket, opts.maxLine ?? DEFAULT_MAX_LINE, opts.maxBytes ?? DEFAULT_MAX_BYTES));
    });
    socket.once('close', () => reject(new ProbeFailure('connection closed during connect')));
  });
}

/** An SMTP/FTP-style numeric reply: `250-first`, …, `250 last`. */
export interface NumericReply {
  readonly code: number;
  readonly lines: readonly string[];
}

/** Reads one numeric reply, following `NNN-` continuation lines up to the closing `NNN ` line. */
export async function readNumericReply(stream: LineStream, what: string): Promise<NumericReply> {
  const first = await stream.readLine(what);
  const m = /^(\d{3})([ -]|$)/.exec(first);
  if (!m) throw new ProbeFailure(`unexpected ${what}: ${JSON.stringify(first.slice(0, 80))}`);
  const code = Number(m[1]);
  const lines = [first];
  if (m[2] === '-') {
    for (;;) {
      const line = await stream.readLine(what);
      lines.push(line);
      if (line.startsWith(`${m[1]} `) || line === m[1]) break;
    }
  }
  return { code, lines };
}

/** `250 ok` → `250 ok`, a multi-line reply → its last line; trimmed for log lines. */
export function replyText(reply: NumericReply): string {
  const last = reply.lines[reply.lines.length - 1] ?? '';
  return last.length > 120 ? `${last.slice(0, 120)}…` : last;
}
