// An HTTP/1.x response read incrementally, as pure code: bytes in, one of "need more", "answer" or "error"
// out. The plain-http check (http-plain.ts) feeds it what the socket delivers; tests feed it every split.
// What a health check needs and no more:
// * status line `HTTP/1.0|1.1 NNN reason`; 1xx interim responses are skipped;
// * the body only when it is asked for (GET with a 2xx status), else the answer is complete after the head;
// * body framing by Transfer-Encoding: chunked, Content-Length, or the end of the connection; 204 and 304
//   have none;
// * limits: a head larger than MAX_HEAD is an error; a body is read up to `maxBody` bytes and then reported
//   as truncated, so a 100 MB answer costs `maxBody`.
// Line ends may be CRLF or bare LF. Header names are case-insensitive.

export const MAX_HEAD = 64 * 1024;
const MAX_CHUNK_LINE = 1024;

export interface Answer {
  readonly status: number;
  readonly location?: string;
  readonly body: string;
  readonly truncated: boolean;
}

export type Step =
  | { readonly kind: 'more' }
  | { readonly kind: 'answer'; readonly answer: Answer }
  | { readonly kind: 'error'; readonly message: string };

export interface ResponseReader {
  /** The next bytes from the connection. After an answer or an error, further calls repeat it. */
  push(chunk: Buffer): Step;
  /** The server closed its side. */
  end(): Step;
}

const MORE: Step = { kind: 'more' };

type Framing =
  | { readonly kind: 'length'; remaining: number }
  | { readonly kind: 'chunked'; phase: 'size' | 'data' | 'data-end'; line: string; remaining: number }
  | { readonly kind: 'close' };

interface Head {
  readonly status: number;
  readonly location?: string;
  readonly framing: Framing | 'none';
}

function excerpt(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** Parses a complete head (without its blank line). Returns an error message for a malformed one. */
function parseHead(text: string, wantBody: (status: number) => boolean): Head | string {
  const lines = text.split(/\r?\n/);
  const statusLine = lines[0] as string;
  const m = /^HTTP\/1\.[01] (\d{3})(?:[ \t].*)?$/.exec(statusLine);
  if (m === null) return `malformed status line ${excerpt(statusLine)}`;
  const status = Number(m[1]);
  let location: string | undefined;
  let length: number | undefined;
  let chunked = false;
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) return `malformed header line ${excerpt(line)}`;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'location') location = value;
    else if (name === 'transfer-encoding') chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
    else if (name === 'content-length') {
      if (!/^\d{1,15}$/.test(value)) return `invalid Content-Length ${excerpt(value)}`;
      const n = Number(value);
      if (length !== undefined && length !== n) return 'conflicting Content-Length headers';
      length = n;
    }
  }
  if (status < 200 || !wantBody(status) || status === 204 || status === 304)
    return { status, location, framing: 'none' };
  if (chunked) return { status, location, framing: { kind: 'chunked', phase: 'size', line: '', remaining: 0 } };
  if (length !== undefined) return { status, location, framing: { kind: 'length', remaining: length } };
  return { status, location, framing: { kind: 'close' } };
}

/** Finds the end of the head: index of the blank line and its length, or undefined. */
function headEnd(text: string): { at: number; size: number } | undefined {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return undefined;
  if (lf < 0 || (crlf >= 0 && crlf < lf)) return { at: crlf, size: 4 };
  return { at: lf, size: 2 };
}

/**
 * A reader for one response. `wantBody(status)` says whether the body of a final response is wanted;
 * when it is not, the answer is complete at the end of the head and its body is empty.
 */
export function createResponseReader(wantBody: (status: number) => boolean, maxBody: number): ResponseReader {
  let head = '';
  let parsed: Head | undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  let final: Step | undefined;

  const settle = (step: Step): Step => {
    final = step;
    return step;
  };
  const answer = (truncated: boolean): Step => {
    const h = parsed as Head;
    const body = chunks.length === 0 ? '' : Buffer.concat(chunks, size).toString('utf8');
    return settle({ kind: 'answer', answer: { status: h.status, location: h.location, body, truncated } });
  };
  /** Keeps up to maxBody bytes; true when the cap is reached. */
  const keep = (bytes: Buffer): boolean => {
    const room = maxBody - size;
    const taken = bytes.length > room ? bytes.subarray(0, room) : bytes;
    if (taken.length > 0) {
      chunks.push(taken);
      size += taken.length;
    }
    return size >= maxBody && bytes.length >= room;
  };

  /** Consumes body bytes per the framing; returns a final step or MORE. */
  const body = (bytes: Buffer): Step => {
    const framing = (parsed as Head).framing as Framing;
    if (framing.kind === 'close') return keep(bytes) ? answer(true) : MORE;
    if (framing.kind === 'length') {
      const take = Math.min(framing.remaining, bytes.length);
      framing.remaining -= take;
      if (keep(bytes.subarray(0, take))) return answer(framing.remaining > 0);
      return framing.remaining === 0 ? answer(false) : MORE;
    }
    let at = 0;
    while (at < bytes.length) {
      if (framing.phase === 'data') {
        const take = Math.min(framing.remaining, bytes.length - at);
        const capped = keep(bytes.subarray(at, at + take));
        framing.remaining -= take;
        at += take;
        if (capped) return answer(true);
        if (framing.remaining === 0) framing.phase = 'data-end';
        continue;
      }
      const nl = bytes.indexOf(10, at);
      const piece = bytes.toString('latin1', at, nl < 0 ? bytes.length : nl);
      framing.line += piece;
      if (framing.line.length > MAX_CHUNK_LINE)
        return settle({ kind: 'error', message: 'malformed chunked body (chunk line too long)' });
      if (nl < 0) return MORE;
      at = nl + 1;
      const line = framing.line.replace(/\r$/, '');
      framing.line = '';
      if (framing.phase === 'data-end') {
        if (line !== '')
          return settle({ kind: 'error', message: 'malformed chunked body (no line end after a chunk)' });
        framing.phase = 'size';
        continue;
      }
      const m = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
      if (m === null) return settle({ kind: 'error', message: `malformed chunked body (chunk size ${excerpt(line)})` });
      framing.remaining = parseInt(m[1] as string, 16);
      if (framing.remaining === 0) return answer(false); // trailers, if any, are not needed
      framing.phase = 'data';
    }
    return MORE;
  };

  const push = (chunk: Buffer): Step => {
    if (final !== undefined) return final;
    if (parsed !== undefined) return body(chunk);
    const before = head.length;
    let dropped = 0; // head characters of interim responses removed during this push
    head += chunk.toString('latin1');
    for (;;) {
      const end = headEnd(head);
      if (end === undefined) {
        if (head.length > MAX_HEAD)
          return settle({ kind: 'error', message: `response head larger than ${MAX_HEAD} bytes` });
        return MORE;
      }
      const h = parseHead(head.slice(0, end.at), wantBody);
      if (typeof h === 'string') return settle({ kind: 'error', message: h });
      const rest = end.at + end.size;
      if (h.status < 200) {
        // An interim response (100 Continue, 103 Early Hints): what follows it is the real answer.
        head = head.slice(rest);
        dropped += rest;
        continue;
      }
      parsed = h;
      if (h.framing === 'none') return answer(false);
      // Where the body starts in this chunk (the head may have begun in earlier chunks; latin1 is 1 byte a char).
      const tail = chunk.subarray(rest + dropped - before);
      head = '';
      return tail.length > 0 ? body(tail) : MORE;
    }
  };

  const end = (): Step => {
    if (final !== undefined) return final;
    if (parsed === undefined) {
      return settle({
        kind: 'error',
        message:
          head.length === 0
            ? 'the server closed the connection without answering'
            : 'the server closed the connection in the middle of the response head',
      });
    }
    const framing = parsed.framing as Framing;
    if (framing.kind === 'close') return answer(false);
    return settle({
      kind: 'error',
      message: `the server closed the connection after ${size} body bytes, before the end of the body`,
    });
  };

  return { push, end };
}
