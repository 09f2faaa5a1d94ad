'use strict';
// A real server for the two-director bed: HTTP on 80 answering its name (the new-connection loop and the
// directors' checks), and a line echo on 9000 (the long-lived streams). Prints "listening" once both listen.
//   node real-server.js NAME
const http = require('node:http');
const net = require('node:net');

const name = process.argv[2] || 'rs';
const web = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
  res.end(`${name}\n`);
});
const echo = net.createServer((sock) => {
  sock.on('error', () => sock.destroy());
  sock.pipe(sock);
});
let up = 0;
const ready = () => {
  if (++up === 2) process.stdout.write('listening\n');
};
for (const s of [web, echo])
  s.on('error', (e) => {
    process.stderr.write(`${name}: ${e.message}\n`);
    process.exit(1);
  });
web.listen(80, '0.0.0.0', ready);
echo.listen(9000, '0.0.0.0', ready);
