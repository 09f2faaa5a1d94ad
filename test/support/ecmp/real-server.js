'use strict';
// A real server for the ECMP bed (test/support/ecmp/bed.sh): HTTP on 80. `/health` is what the directors
// check: it answers 503 to a director whose address has a file `fail-ADDRESS` in DIR (that director's path to
// the real servers is "broken"; the other director's checks still pass), `ok` otherwise. Any other path
// answers the server's name, so the client can tell which real server a flow reached. Port 9000 echoes what it
// reads (the long-lived streams of the sync story).
//   node real-server.js NAME DIR
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const [name = 'rs', dir = '/tmp'] = process.argv.slice(2);
const server = http.createServer((req, res) => {
  req.resume();
  const peer = (req.socket.remoteAddress || '').replace(/^::ffff:/, '');
  const health = req.url === '/health';
  const broken = health && fs.existsSync(path.join(dir, `fail-${peer}`));
  res.writeHead(broken ? 503 : 200, { 'content-type': 'text/plain', connection: 'close' });
  res.end(health ? (broken ? 'broken\n' : 'ok\n') : `${name}\n`);
});
server.on('error', (e) => {
  process.stderr.write(`${name}: ${e.message}\n`);
  process.exit(1);
});
const echo = require('node:net').createServer((s) => {
  s.on('error', () => undefined);
  s.pipe(s);
});
echo.on('error', (e) => {
  process.stderr.write(`${name} echo: ${e.message}\n`);
  process.exit(1);
});
echo.listen(9000, '0.0.0.0', () => server.listen(80, '0.0.0.0', () => process.stdout.write('listening\n')));
