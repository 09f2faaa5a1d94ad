// One plain-HTTP exchange on node:net: a new TCP connection, one `Connection: close` request, the response
// read by http-response.ts, the socket destroyed the moment the answer (or an error) is known.
// Used for http and http_proxy checks; https goes through undici (http-undici.ts). Why two clients:
// docs/decisions/007-http-check-cost.md (undici costs about twice this exchange's CPU per new connection,
// which caps one core at ~3,000–4,000 checks a second instead of ~5,500).
// Never throws for what the server does: refusals, resets and malformed answers reject with an Error whose
// message is the reason; the caller's AbortSignal (the check's deadline) destroys the socket.
import { connect, type Socket } from 'node:net';
import { createResponseReader, type Answer } from './http-response';
import type { HttpTarget } from './http-target';

/** Visible ASCII only: a request line or Host header can never carry a line break into the request. */
const TOKEN = /^[\x21-\x7e]*$/;

/** A failed exchange whose message is the whole reason (the server's doing, or a request we refuse to send). */
export class ExchangeError extends Error {}

/** The request bytes, or an ExchangeError when the path or Host would not make a valid request. */
export function requestText(target: HttpTarget, path: string): string | ExchangeError {
  if (path === '' || !TOKEN.test(path)) return new ExchangeError(`invalid request path ${JSON.stringify(path)}`);
  const host = target.host !== '' ? target.host : target.origin.slice(target.origin.indexOf('//') + 2);
  if (!TOKEN.test(host)) return new ExchangeError(`invalid Host ${JSON.stringify(host)}`);
  return `${target.method} ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ldirectord-ts\r\nConnection: close\r\n\r\n`;
}

export function plainExchange(target: HttpTarget, path: string, maxBody: number, signal: AbortSignal): Promise<Answer> {
  const request = requestText(target, path);
  if (request instanceof ExchangeError) return Promise.reject(request);
  if (signal.aborted) return Promise.reject(new ExchangeError('aborted'));
  const wantBody = target.method === 'GET' ? (status: number) => status >= 200 && status < 300 : () => false;
  const reader = createResponseReader(wantBody, maxBody);
  return new Promise<Answer>((resolve, reject) => {
    let socket: Socket | undefined;
    const settle = (answer: Answer | undefined, err?: Error): void => {
      if (socket === undefined) return;
      const s = socket;
      socket = undefined;
      signal.removeEventListener('abort', onAbort);
      s.removeListener('data', onData);
      s.removeListener('end', onEnd);
      s.destroy();
      if (answer !== undefined) resolve(answer);
      else reject(err);
    };
    const onAbort = (): void => settle(undefined, new ExchangeError('aborted'));
    const onData = (chunk: Buffer): void => {
      const step = reader.push(chunk);
      if (step.kind === 'answer') settle(step.answer);
      else if (step.kind === 'error') settle(undefined, new ExchangeError(step.message));
    };
    const onEnd = (): void => {
      const step = reader.end();
      if (step.kind === 'answer') settle(step.answer);
      else settle(undefined, new ExchangeError(step.kind === 'error' ? step.message : 'the connection ended'));
    };
    socket = connect({ host: target.connectHost, port: target.connectPort });
    // After destroy() no further events reach the handlers; an 'error' before it settles the exchange.
    socket.on('error', (err) => settle(undefined, err));
    socket.on('data', onData);
    socket.on('end', onEnd);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.write(request);
  });
}
