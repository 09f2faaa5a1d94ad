// A loopback port for a test server: freePort() asks the kernel for an ephemeral port and releases it just
// before the server under test binds it (a small window; loopback-only, test-only). For a port free on both
// 127.0.0.1 and ::1, see daemons/process.ts.
import { once } from 'node:events';
import { createServer } from 'node:net';

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('freePort: no TCP address');
  return address.port;
}
