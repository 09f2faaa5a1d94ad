// The test-support servers behave as advertised (other tests rely on them to be hostile in a precise way).
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { once } from 'node:events';
import { startHostile } from '../support/hostile';
import { createTlsFixtures, type TlsFixtures } from '../support/tls';
import { snapshotHandles, leakedSince } from '../support/leaks';

let tls: TlsFixtures;
beforeAll(() => {
  tls = createTlsFixtures('backend.test');
});
afterAll(() => tls.cleanup());

test('reset sends half a response then an RST', async () => {
  const before = snapshotHandles();
  const server = await startHostile('reset');
  const socket = connect(server.port, '127.0.0.1');
  let received = '';
  socket.on('data', (d) => {
    received += d.toString();
  });
  socket.write('GET / HTTP/1.1\r\n\r\n');
  const [err] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
  expect(err.code).toBe('ECONNRESET');
  expect(received.startsWith('HTTP/1.1 200')).toBe(true);
  await server.close();
  expect(await leakedSince(before)).toEqual([]);
});

test('flood sends the announced number of bytes', async () => {
  const server = await startHostile('flood', { prefix: '', floodBytes: 1_000_000 });
  const socket = connect(server.port, '127.0.0.1');
  let n = 0;
  socket.on('data', (d: Buffer) => {
    n += d.length;
  });
  await once(socket, 'end');
  socket.destroy();
  expect(n).toBe(1_000_000);
  await server.close();
});

test('the good certificate verifies against the CA; the others do not', async () => {
  const tryCert = async (cert: { key: string; cert: string }): Promise<string> => {
    const server = await startHostile('http200', { tls: cert });
    try {
      const socket = tlsConnect({ port: server.port, host: '127.0.0.1', servername: 'backend.test', ca: tls.ca });
      const outcome = await new Promise<string>((resolve) => {
        socket.once('secureConnect', () => resolve('ok'));
        socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      socket.destroy();
      return outcome;
    } finally {
      await server.close();
    }
  };
  expect(await tryCert(tls.good)).toBe('ok');
  expect(await tryCert(tls.wrongName)).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  expect(await tryCert(tls.expired)).toBe('CERT_HAS_EXPIRED');
  expect(await tryCert(tls.selfSigned)).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
});
