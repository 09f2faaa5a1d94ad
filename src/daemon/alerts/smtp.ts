// A minimal SMTP client for alert mails (smtp= directive, docs/behaviour.md §4.9): one connection per message,
// EHLO (HELO if refused), MAIL FROM, one RCPT TO per recipient, DATA, QUIT. Bounded by a timeout; failures
// reject with a typed AlertError naming the step and the server's reply. The socket is injected.

import * as net from 'node:net';

export class AlertError extends Error {
  readonly code: 'ALERT_SMTP' | 'ALERT_TIMEOUT' | 'ALERT_SENDMAIL';
  constructor(code: AlertError['code'], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'AlertError';
    this.code = code;
  }
}

export interface SmtpMessage {
  /** Envelope sender (MAIL FROM). */
  readonly sender: string;
  readonly recipients: readonly string[];
  /** Headers and body with CRLF line ends, not yet dot-stuffed. */
  readonly data: string;
}

export interface SmtpOptions {
  readonly host: string;
  readonly port: number;
  /** Name given in EHLO/HELO. */
  readonly helo: string;
  readonly timeoutMs: number;
  readonly connect?: (host: string, port: number) => net.Socket;
}

interface Reply {
  readonly code: number;
  readonly text: string;
}

/** Splits a byte stream into SMTP replies (multi-line replies use `NNN-` on all but the last line). */
export function createReplyReader(): { push(chunk: string): Reply[] } {
  let buffer = '';
  let lines: string[] = [];
  return {
    push(chunk) {
      buffer += chunk;
      const replies: Reply[] = [];
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        const m = /^(\d{3})(?:[ ]|$)/.exec(line);
        if (m !== null && m[1] !== undefined) {
          replies.push({ code: Number(m[1]), text: lines.join('\n') });
          lines = [];
        }
      }
      return replies;
    },
  };
}

/** Dot-stuffing and the terminating `.` line (RFC 5321 §4.5.2). */
export function encodeData(data: string): string {
  const normalized = data.replace(/\r?\n/g, '\r\n');
  const body = normalized.endsWith('\r\n') ? normalized : `${normalized}\r\n`;
  return `${body.replace(/^\./gm, '..')}.\r\n`;
}

export function sendSmtp(message: SmtpMessage, o: SmtpOptions): Promise<void> {
  const socket = (o.connect ?? ((h, p) => net.createConnection({ host: h, port: p })))(o.host, o.port);
  socket.setEncoding('utf8');
  const reader = createReplyReader();
  const pending: Reply[] = [];
  let waiter: ((r: Reply) => void) | undefined;
  let failure: ((e: Error) => void) | undefined;
  let step = 'connect';
  let dead: Error | undefined;
  let connected = false;
  socket.on('connect', () => {
    connected = true;
  });
  const where = (): string => (connected ? step : 'connect');

  const nextReply = (): Promise<Reply> =>
    new Promise<Reply>((resolve, reject) => {
      const queued = pending.shift();
      if (queued !== undefined) {
        resolve(queued);
        return;
      }
      if (dead !== undefined) {
        reject(dead);
        return;
      }
      waiter = resolve;
      failure = reject;
    });
  socket.on('data', (chunk: string) => {
    for (const r of reader.push(chunk)) {
      if (waiter !== undefined) {
        const w = waiter;
        waiter = undefined;
        failure = undefined;
        w(r);
      } else pending.push(r);
    }
  });
  const fail = (e: Error): void => {
    dead ??= e;
    if (failure !== undefined) {
      const f = failure;
      waiter = undefined;
      failure = undefined;
      f(e);
    }
  };
  socket.on('error', (e) => fail(new AlertError('ALERT_SMTP', `SMTP ${o.host}:${o.port} ${where()}: ${e.message}`, e)));
  socket.on('close', () =>
    fail(new AlertError('ALERT_SMTP', `SMTP ${o.host}:${o.port} ${where()}: connection closed`)),
  );

  const expect = async (what: string, ok: (code: number) => boolean): Promise<Reply> => {
    step = what;
    const r = await nextReply();
    if (!ok(r.code)) throw new AlertError('ALERT_SMTP', `SMTP ${o.host}:${o.port} ${what}: ${r.text}`);
    return r;
  };
  const send = (line: string): void => {
    socket.write(`${line}\r\n`);
  };

  const dialogue = async (): Promise<void> => {
    await expect('greeting', (c) => c === 220);
    send(`EHLO ${o.helo}`);
    const ehlo = await nextReply();
    if (ehlo.code !== 250) {
      send(`HELO ${o.helo}`);
      await expect('HELO', (c) => c === 250);
    }
    send(`MAIL FROM:<${message.sender}>`);
    await expect('MAIL FROM', (c) => c === 250);
    const refused: string[] = [];
    for (const rcpt of message.recipients) {
      send(`RCPT TO:<${rcpt}>`);
      step = `RCPT TO ${rcpt}`;
      const r = await nextReply();
      if (r.code !== 250 && r.code !== 251) refused.push(`${rcpt}: ${r.text}`);
    }
    if (refused.length === message.recipients.length) {
      throw new AlertError(
        'ALERT_SMTP',
        `SMTP ${o.host}:${o.port} RCPT TO: every recipient refused (${refused.join('; ')})`,
      );
    }
    send('DATA');
    await expect('DATA', (c) => c === 354);
    socket.write(encodeData(message.data));
    await expect('end of DATA', (c) => c === 250);
    send('QUIT');
    step = 'QUIT';
    await nextReply().catch(() => undefined);
  };

  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new AlertError('ALERT_TIMEOUT', `SMTP ${o.host}:${o.port} ${where()}: no answer within ${o.timeoutMs} ms`),
      );
      socket.destroy();
    }, o.timeoutMs);
    dialogue()
      .then(resolve, reject)
      .finally(() => {
        clearTimeout(timer);
        socket.end();
        socket.destroy();
      });
  });
}
