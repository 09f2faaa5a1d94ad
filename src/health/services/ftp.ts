// ftp: log in (login/passwd; the config fills anonymous / ldirectord@<hostname>), CWD /, TYPE I, passive
// mode (EPSV for IPv6, PASV for IPv4), RETR the request; up when the content matches receive (empty receive:
// the transfer completed). Unlike Net::FTP in ldirectord, a failed step fails the check with that step's
// reply. The data connection always goes to the control connection's address: the address a PASV reply
// advertises is ignored (it is wrong behind NAT, and following it would let a server aim us elsewhere).

import * as net from 'node:net';
import type { Check } from '../types';
import { hostPort, probe, ProbeFailure, stripSlash, type ProbeContext } from './probe';
import { excerpt, receivePattern } from './receive';
import { openStream, readNumericReply, replyText, type LineStream, type NumericReply } from './stream';

/** Largest file we fetch; a larger one fails the check instead of being buffered. */
export const FTP_MAX_FILE = 1024 * 1024;

/** The data port from a `227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)` reply. */
export function pasvPort(text: string): number | undefined {
  const m = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(text);
  if (!m) return undefined;
  const port = Number(m[5]) * 256 + Number(m[6]);
  return port > 0 && port < 65536 ? port : undefined;
}

/** The data port from a `229 Entering Extended Passive Mode (|||6446|)` reply. */
export function epsvPort(text: string): number | undefined {
  const m = /\((.)\1\1(\d{1,5})\1\)/.exec(text);
  const port = m ? Number(m[2]) : 0;
  return port > 0 && port < 65536 ? port : undefined;
}

async function command(
  s: LineStream,
  line: string,
  what: string,
  ok: (code: number) => boolean,
): Promise<NumericReply> {
  s.write(`${line}\r\n`);
  const reply = await readNumericReply(s, `${what} reply`);
  if (!ok(reply.code)) throw new ProbeFailure(`${what} failed: ${replyText(reply)}`);
  return reply;
}

const is2xx = (c: number): boolean => c >= 200 && c < 300;

async function passivePort(s: LineStream, ipv6: boolean): Promise<number> {
  const reply = ipv6
    ? await command(s, 'EPSV', 'EPSV', (c) => c === 229)
    : await command(s, 'PASV', 'PASV', (c) => c === 227);
  const port = ipv6 ? epsvPort(replyText(reply)) : pasvPort(replyText(reply));
  if (port === undefined) throw new ProbeFailure(`cannot parse passive reply: ${replyText(reply)}`);
  return port;
}

async function login(s: LineStream, user: string, pass: string): Promise<void> {
  s.write(`USER ${user}\r\n`);
  const reply = await readNumericReply(s, 'USER reply');
  if (reply.code === 331 || reply.code === 332) {
    await command(s, `PASS ${pass}`, `login as ${user}`, (c) => c === 230 || c === 202);
  } else if (reply.code !== 230) {
    throw new ProbeFailure(`login as ${user} failed: ${replyText(reply)}`);
  }
}

async function retrieve(ctx: ProbeContext, s: LineStream, host: string, port: number, file: string): Promise<Buffer> {
  const data = await openStream(ctx, { host, port, maxBytes: FTP_MAX_FILE, maxLine: FTP_MAX_FILE });
  await command(s, `RETR ${file}`, `RETR ${file}`, (c) => c === 125 || c === 150);
  const content = await data.readToEnd(`${file} content`).catch((err: unknown) => {
    throw err instanceof ProbeFailure && /more than/.test(err.message)
      ? new ProbeFailure(`RETR ${file}: file larger than ${FTP_MAX_FILE} bytes`)
      : err;
  });
  const done = await readNumericReply(s, 'transfer reply');
  if (!is2xx(done.code)) throw new ProbeFailure(`RETR ${file} failed: ${replyText(done)}`);
  return content;
}

export const ftpCheck: Check = (spec, signal) =>
  probe(`FTP ${hostPort(spec.address, spec.port)}`, spec, signal, async (ctx) => {
    const file = stripSlash(spec.request);
    if (file === '') throw new ProbeFailure('request= names no file to retrieve');
    const pattern = spec.receive === '' ? undefined : receivePattern(spec.receive);
    const s = await openStream(ctx, { host: spec.address, port: spec.port });
    const greeting = await readNumericReply(s, 'greeting');
    if (greeting.code !== 220) throw new ProbeFailure(`greeting: ${replyText(greeting)}`);
    await login(s, spec.login || 'anonymous', spec.passwd);
    await command(s, 'CWD /', 'CWD /', is2xx);
    await command(s, 'TYPE I', 'TYPE I', is2xx);
    const port = await passivePort(s, net.isIPv6(spec.address));
    const content = (await retrieve(ctx, s, spec.address, port, file)).toString('latin1');
    s.end('QUIT\r\n');
    if (pattern && !pattern.test(content)) {
      throw new ProbeFailure(`${file}: content does not match /${spec.receive}/; got ${excerpt(content)}`);
    }
    return `retrieved ${file} (${content.length} bytes)`;
  });
