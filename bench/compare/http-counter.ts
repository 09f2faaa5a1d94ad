// A minimal HTTP server for the comparison bench, run inside the real-server namespace: it answers every
// request on every local address with `200 ok` and counts requests per local (real-server) address.
// Control over stdio: a line `dump` on stdin → one JSON line {address: count} on stdout; `reset` zeroes.

import * as net from 'node:net';
import * as readline from 'node:readline';

const port = Number(process.argv[2] ?? 80);
const RESPONSE = 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok';
let counts = new Map<string, number>();

const server = net.createServer((socket) => {
  let seen = '';
  socket.on('data', (chunk: Buffer) => {
    seen += chunk.toString('latin1');
    if (!seen.includes('\r\n\r\n')) return;
    const local = socket.localAddress ?? '?';
    counts.set(local, (counts.get(local) ?? 0) + 1);
    socket.end(RESPONSE);
    seen = '';
  });
  socket.on('error', () => socket.destroy());
});
server.listen({ port, host: '0.0.0.0', backlog: 4096 }, () => process.stdout.write('ready\n'));

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'dump') process.stdout.write(`${JSON.stringify(Object.fromEntries(counts))}\n`);
  else if (line === 'reset') {
    counts = new Map();
    process.stdout.write('{}\n');
  }
});
process.stdin.on('end', () => process.exit(0));
