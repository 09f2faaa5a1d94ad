// A scripted SMTP server on 127.0.0.1 for alert tests: records every command line and message, answers as a
// well-behaved server unless told otherwise (refuse some recipients, stay silent, hang up).

import * as net from 'node:net';

export interface SinkMessage {
  readonly sender: string;
  readonly recipients: string[];
  readonly data: string;
}

export interface SmtpSink {
  readonly port: number;
  readonly commands: string[];
  readonly messages: SinkMessage[];
  /** Resolves when `n` messages have been received. */
  received(n: number): Promise<void>;
  close(): Promise<void>;
}

export interface SinkBehaviour {
  refuse?: (rcpt: string) => boolean;
  /** Accept the connection but never send the greeting. */
  silent?: boolean;
  /** Answer EHLO with 502 (the client must fall back to HELO). */
  noEhlo?: boolean;
}

export async function startSmtpSink(b: SinkBehaviour = {}): Promise<SmtpSink> {
  const commands: string[] = [];
  const messages: SinkMessage[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (b.silent) return;
    socket.setEncoding('utf8');
    const reply = (line: string): void => {
      socket.write(`${line}\r\n`);
    };
    let buffer = '';
    let inData = false;
    let data: string[] = [];
    let sender = '';
    let recipients: string[] = [];
    reply('220 sink.test ESMTP ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push({ sender, recipients, data: data.join('\r\n') });
            data = [];
            reply('250 2.0.0 queued');
            for (const w of waiters.filter((x) => messages.length >= x.n)) w.resolve();
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        commands.push(line);
        const upper = line.toUpperCase();
        if (upper.startsWith('EHLO')) {
          if (b.noEhlo) reply('502 5.5.2 EHLO not implemented');
          else {
            socket.write('250-sink.test\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n');
          }
        } else if (upper.startsWith('HELO')) reply('250 sink.test');
        else if (upper.startsWith('MAIL FROM:')) {
          sender = line.slice(10).replace(/[<>]/g, '');
          recipients = [];
          reply('250 2.1.0 ok');
        } else if (upper.startsWith('RCPT TO:')) {
          const r = line.slice(8).replace(/[<>]/g, '');
          if (b.refuse?.(r)) reply(`550 5.1.1 <${r}> unknown user`);
          else {
            recipients.push(r);
            reply('250 2.1.5 ok');
          }
        } else if (upper === 'DATA') {
          inData = true;
          reply('354 go ahead');
        } else if (upper === 'QUIT') {
          reply('221 2.0.0 bye');
          socket.end();
        } else reply('500 5.5.1 unknown command');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    commands,
    messages,
    received: (n) =>
      new Promise<void>((resolve) => {
        if (messages.length >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
