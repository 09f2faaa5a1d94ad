// Faithful scripted servers for the protocols with no practical Debian daemon here: NNTP (inn2 is a whole
// news system), SIP (no SIP server package installed) and simpletcp (which is by definition any line
// protocol). Each follows its RFC for the part a health check exercises, on 127.0.0.1 and ::1.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';

export interface ScriptedServer {
  readonly port: number;
  /** Requests received, as text, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

async function listenBoth(
  handler: (s: Socket) => void,
  port = 0,
): Promise<{ servers: Server[]; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const wrap = (s: Socket): void => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('close', () => sockets.delete(s));
    handler(s);
  };
  const v4 = createServer(wrap).listen(port, '127.0.0.1');
  await once(v4, 'listening');
  const actual = (v4.address() as { port: number }).port;
  const v6 = createServer(wrap).listen(actual, '::1');
  await once(v6, 'listening');
  return { servers: [v4, v6], port: actual, sockets };
}

function closer(servers: Server[], sockets: Set<Socket>, udp: UdpSocket[] = []): () => Promise<void> {
  return async () => {
    for (const s of sockets) s.destroy();
    for (const u of udp) u.close();
    await Promise.all(servers.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))));
  };
}

/** NNTP (RFC 3977 §5.1): greets with `greeting` (e.g. `200 … posting allowed`), answers QUIT with 205. */
export async function startNntp(greeting: string): Promise<ScriptedServer> {
  const requests: string[] = [];
  const { servers, port, sockets } = await listenBoth((s) => {
    s.write(`${greeting}\r\n`);
    s.on('data', (d: Buffer) => {
      requests.push(d.toString('latin1'));
      if (/^QUIT\r?\n/im.test(d.toString('latin1'))) s.end('205 closing connection\r\n');
    });
  });
  return { port, requests, close: closer(servers, sockets) };
}

/** simpletcp: collects the request until the client half-closes, then writes `reply(request)` and closes. */
export async function startLineServer(
  reply: (request: string) => string,
): Promise<ScriptedServer & { udpPort: number }> {
  const requests: string[] = [];
  const { servers, port, sockets } = await listenBoth((s) => {
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.on('end', () => {
      requests.push(got);
      s.end(reply(got));
    });
  });
  const udp = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    requests.push(msg.toString('latin1'));
    udp.send(reply(msg.toString('latin1')), rinfo.port, rinfo.address);
  });
  udp.bind(0, '127.0.0.1');
  await once(udp, 'listening');
  return { port, udpPort: udp.address().port, requests, close: closer(servers, sockets, [udp]) };
}

export interface SipBehaviour {
  /** Status lines to send, in order (e.g. ['100 Trying', '200 OK']). */
  readonly statuses: readonly string[];
}

/** The response headers RFC 3261 §8.2.6 requires to be copied from the request. */
function sipResponse(request: string, status: string): string {
  const copy = request.split(/\r\n/).filter((h) => /^(via|from|to|call-id|cseq)\s*:/i.test(h));
  return [`SIP/2.0 ${status}`, ...copy, 'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE', 'Content-Length: 0', '', ''].join(
    '\r\n',
  );
}

/** A SIP user agent server answering OPTIONS over UDP (v4 and v6) and TCP on the same port number. */
export async function startSip(b: SipBehaviour): Promise<ScriptedServer> {
  const requests: string[] = [];
  const { servers, port, sockets } = await listenBoth((s) => {
    let got = '';
    s.on('data', (d: Buffer) => {
      got += d.toString('utf8');
      if (!got.includes('\r\n\r\n')) return;
      requests.push(got);
      for (const status of b.statuses) s.write(sipResponse(got, status));
      got = '';
    });
  });
  const udp: UdpSocket[] = [];
  for (const [type, host] of [
    ['udp4', '127.0.0.1'],
    ['udp6', '::1'],
  ] as const) {
    const u = createSocket(type);
    u.on('message', (msg, rinfo) => {
      requests.push(msg.toString('utf8'));
      for (const status of b.statuses) u.send(sipResponse(msg.toString('utf8'), status), rinfo.port, rinfo.address);
    });
    u.bind(port, host);
    await once(u, 'listening');
    udp.push(u);
  }
  return { port, requests, close: closer(servers, sockets, udp) };
}
