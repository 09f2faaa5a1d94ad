// The line reader under the text protocols, fed one byte per TCP write, plus its bounds.
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { probe } from '../../../src/health/services/probe';
import { openStream, readNumericReply } from '../../../src/health/services/stream';
import { makeSpec, never } from './spec-fixture';

let server: Server;
let port: number;
let script: (s: Socket) => Promise<void>;
const open = new Set<Socket>();
beforeAll(async () => {
  server = createServer((s) => {
    open.add(s);
    s.on('error', () => undefined);
    s.once('close', () => open.delete(s));
    s.setNoDelay(true);
    void script(s);
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of open) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function byteByByte(s: Socket, text: string): Promise<void> {
  for (const ch of text) {
    if (s.destroyed) return;
    await new Promise<void>((resolve) => s.write(ch, () => resolve()));
  }
}

const spec = makeSpec({ service: 'smtp', port: 1, negotiatetimeout: 2 });

it('assembles a multi-line numeric reply sent one byte at a time', async () => {
  script = (s) => byteByByte(s, '250-first\r\n250-second\r\n250 last\r\n');
  const r = await probe('T', spec, never, async (ctx) => {
    const st = await openStream(ctx, { host: '127.0.0.1', port });
    const reply = await readNumericReply(st, 'reply');
    return `${reply.code} ${reply.lines.join('|')}`;
  });
  expect(r).toMatchObject({ ok: true, reason: 'T: 250 250-first|250-second|250 last' });
});

it('fails on a line longer than maxLine without buffering more', async () => {
  script = async (s) => {
    s.write(Buffer.alloc(10_000, 'x'));
  };
  const r = await probe('T', spec, never, async (ctx) => {
    const st = await openStream(ctx, { host: '127.0.0.1', port, maxLine: 4096 });
    return st.readLine('greeting');
  });
  expect(r).toMatchObject({ ok: false, reason: 'T: line longer than 4096 bytes' });
});

it('fails when the conversation exceeds maxBytes, even in short lines', async () => {
  script = async (s) => {
    s.write('ok\n'.repeat(1000));
  };
  const r = await probe('T', spec, never, async (ctx) => {
    const st = await openStream(ctx, { host: '127.0.0.1', port, maxBytes: 1000 });
    for (;;) await st.readLine('lines');
  });
  expect(r).toMatchObject({ ok: false, reason: 'T: server sent more than 1000 bytes' });
});

it('rejects a reply that is not numeric, quoting it', async () => {
  script = (s) => byteByByte(s, 'HELLO there\r\n');
  const r = await probe('T', spec, never, async (ctx) => {
    const st = await openStream(ctx, { host: '127.0.0.1', port });
    return String((await readNumericReply(st, 'greeting')).code);
  });
  expect(r).toMatchObject({ ok: false, reason: 'T: unexpected greeting: "HELLO there"' });
});

it('a body that throws a non-probe error is still a result, never a rejection', async () => {
  const r = await probe('T', spec, never, async () => {
    throw new TypeError('boom');
  });
  expect(r).toMatchObject({ ok: false, reason: 'T: boom' });
});

it('an already-aborted signal is a down result without any I/O', async () => {
  const c = new AbortController();
  c.abort();
  let ran = false;
  const r = await probe('T', spec, c.signal, async () => {
    ran = true;
    return 'x';
  });
  expect(r).toMatchObject({ ok: false, reason: 'T: check aborted before it started' });
  expect(ran).toBe(false);
});

it('a resource registered after the probe settled is released at once', async () => {
  let late: (() => void) | undefined;
  const released: string[] = [];
  const r = await probe('T', makeSpec({ service: 'smtp', port: 1, negotiatetimeout: 0.05 }), never, async (ctx) => {
    late = () => ctx.defer(() => released.push('late'));
    ctx.defer(() => released.push('early'));
    return new Promise<string>(() => undefined); // never settles: the deadline ends the probe
  });
  expect(r).toMatchObject({ ok: false, reason: 'T: timed out after 0.05 s' });
  expect(released).toEqual(['early']);
  late?.();
  expect(released).toEqual(['early', 'late']);
});
