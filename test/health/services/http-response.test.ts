// The plain-http response reader, fed every way a socket can split the bytes: every answer must be the same
// whether it arrives whole, in two pieces at any offset, or one byte at a time.
import { createResponseReader, MAX_HEAD, type Step } from '../../../src/health/services/http-response';

const GET = (status: number) => status >= 200 && status < 300;
const HEAD = () => false;

function feed(pieces: readonly Buffer[], wantBody = GET, maxBody = 1024, close = true): Step {
  const reader = createResponseReader(wantBody, maxBody);
  for (const piece of pieces) {
    const step = reader.push(piece);
    if (step.kind !== 'more') return step;
  }
  return close ? reader.end() : { kind: 'more' };
}

/** Whole, every two-piece split, and byte by byte: all must agree. */
function everySplit(text: string, wantBody = GET, maxBody = 1024, close = true): Step {
  const bytes = Buffer.from(text, 'latin1');
  const whole = feed([bytes], wantBody, maxBody, close);
  for (let cut = 1; cut < bytes.length; cut += 1) {
    expect(feed([bytes.subarray(0, cut), bytes.subarray(cut)], wantBody, maxBody, close)).toEqual(whole);
  }
  expect(
    feed(
      [...bytes].map((b) => Buffer.from([b])),
      wantBody,
      maxBody,
      close,
    ),
  ).toEqual(whole);
  return whole;
}

const answer = (status: number, body = '', extra: { location?: string; truncated?: boolean } = {}): Step => ({
  kind: 'answer',
  answer: { status, location: extra.location, body, truncated: extra.truncated ?? false },
});

test.each<[string, string, Step]>([
  ['Content-Length body', 'HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nhealthy\n', answer(200, 'healthy\n')],
  [
    'HTTP/1.0, body to the end of the connection',
    'HTTP/1.0 200 OK\r\nServer: x\r\n\r\nall of it',
    answer(200, 'all of it'),
  ],
  [
    'chunked, with an extension and trailers',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nheal\r\n4\r\nthy!\r\n0\r\nX-T: 1\r\n\r\n',
    answer(200, 'healthy!'),
  ],
  [
    'chunked wins over Content-Length',
    'HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
    answer(200, 'ok'),
  ],
  ['bare LF line ends', 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok', answer(200, 'ok')],
  ['a status line without a reason phrase', 'HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok', answer(200, 'ok')],
  [
    'interim 100 and 103 responses are skipped',
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    answer(200, 'ok'),
  ],
  [
    '503: complete at the head, body not wanted',
    'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n\r\nbusy!',
    answer(503),
  ],
  [
    '302 keeps its Location',
    'HTTP/1.1 302 Found\r\nlocation: /health\r\nContent-Length: 0\r\n\r\n',
    answer(302, '', { location: '/health' }),
  ],
  ['204 has no body even without framing', 'HTTP/1.1 204 No Content\r\n\r\n', answer(204)],
  ['body bytes are UTF-8', 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nh\xc3\xa9h\xc3\xa9', answer(200, 'héhé')],
])('%s', (_name, text, expected) => {
  expect(everySplit(text)).toEqual(expected);
});

test('HEAD: the answer is complete at the end of the head, whatever Content-Length says', () => {
  expect(everySplit('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n', HEAD, 1024, false)).toEqual(answer(200));
});

test('a body larger than the cap is cut at the cap and marked truncated, without waiting for the rest', () => {
  const text = `HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n${'x'.repeat(20)}`;
  expect(everySplit(text, GET, 16, false)).toEqual(answer(200, 'x'.repeat(16), { truncated: true }));
  const chunked = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n14\r\n${'y'.repeat(20)}\r\n0\r\n\r\n`;
  expect(everySplit(chunked, GET, 16, false)).toEqual(answer(200, 'y'.repeat(16), { truncated: true }));
});

test.each<[string, string, string]>([
  ['nothing at all', '', 'the server closed the connection without answering'],
  [
    'a head cut short',
    'HTTP/1.1 200 OK\r\nContent-Le',
    'the server closed the connection in the middle of the response head',
  ],
  [
    'a body shorter than Content-Length',
    'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort',
    'the server closed the connection after 5 body bytes, before the end of the body',
  ],
  [
    'a chunked body cut short',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab',
    'the server closed the connection after 2 body bytes, before the end of the body',
  ],
  ['not HTTP', 'SSH-2.0-OpenSSH_9.2\r\n\r\n', 'malformed status line "SSH-2.0-OpenSSH_9.2"'],
  ['HTTP/2 preface', 'HTTP/2 200\r\n\r\n', 'malformed status line "HTTP/2 200"'],
  ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n', 'malformed header line "broken"'],
  ['a bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'invalid Content-Length "-1"'],
  [
    'conflicting Content-Lengths',
    'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx',
    'conflicting Content-Length headers',
  ],
  [
    'a bad chunk size',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'malformed chunked body (chunk size "zz")',
  ],
  [
    'chunk data longer than its size',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokay\r\n0\r\n\r\n',
    'malformed chunked body (no line end after a chunk)',
  ],
])('%s is an error with a readable message', (_name, text, message) => {
  expect(everySplit(text)).toEqual({ kind: 'error', message });
});

test('a head that never ends is refused once it passes the limit', () => {
  const reader = createResponseReader(GET, 1024);
  expect(reader.push(Buffer.from('HTTP/1.1 200 OK\r\n'))).toEqual({ kind: 'more' });
  const step = reader.push(Buffer.alloc(MAX_HEAD, 'a'));
  expect(step).toEqual({ kind: 'error', message: `response head larger than ${MAX_HEAD} bytes` });
});

test('after the answer, further bytes and the close change nothing', () => {
  const reader = createResponseReader(GET, 1024);
  const first = reader.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA'));
  expect(first).toEqual(answer(200, 'ok'));
  expect(reader.push(Buffer.from('more'))).toBe(first);
  expect(reader.end()).toBe(first);
});
