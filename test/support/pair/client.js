'use strict';
// The client of the two-director bed, run in the client namespace:
//   node client.js VIP STREAMS
// (a) STREAMS long-lived TCP connections to VIP:9000, each writing a short line every 50 ms and reading the
//     echo; (b) a loop of new HTTP connections to VIP:80, one after another, each given 500 ms.
// The streams open on the command "open" (once the VIP is up: a stream is never reopened), the loop runs
// from the start. Commands on stdin, one per line: "open"; "mark NAME" prints {"mark":NAME,"t":ms}; "report" prints the raw record
// (one JSON line): every stream's open/last-echo/error times and every request's start/end/ok/body or error/local port. The analysis
// is done by the test (client-report.ts), not here.
const http = require('node:http');
const net = require('node:net');
const readline = require('node:readline');

const [vip, nStreams] = [process.argv[2], Number(process.argv[3] || 20)];
const streams = [];
const requests = [];
const print = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

function openStream(id) {
  const s = { id, opened: 0, lastEcho: 0, echoes: 0, error: null, errorAt: 0 };
  streams.push(s);
  const sock = net.connect({ host: vip, port: 9000 });
  let timer;
  sock.setNoDelay(true);
  sock.on('connect', () => {
    s.opened = Date.now();
    timer = setInterval(() => sock.write(`${id} ${Date.now()}\n`), 50);
  });
  sock.on('data', () => {
    s.lastEcho = Date.now();
    s.echoes++;
  });
  const fail = (why) => {
    if (s.error === null) {
      s.error = why;
      s.errorAt = Date.now();
    }
    clearInterval(timer);
  };
  sock.on('error', (e) => fail(e.code || e.message));
  sock.on('close', () => fail('closed'));
}

function request() {
  const start = Date.now();
  let settled = false;
  let port = 0;
  const done = (ok, what) => {
    if (settled) return;
    settled = true;
    requests.push([start, Date.now(), ok ? 1 : 0, what, port]);
    setTimeout(request, 20);
  };
  const req = http.get({ host: vip, port: 80, path: '/', agent: false, timeout: 500 }, (res) => {
    let body = '';
    res
      .setEncoding('utf8')
      .on('data', (d) => {
        body += d;
      })
      .on('end', () => done(res.statusCode === 200, body.trim()));
    res.on('error', (e) => done(false, e.code || e.message));
  });
  req.on('socket', (sock) => sock.once('connect', () => (port = sock.localPort)));
  req.on('timeout', () => {
    port = port || (req.socket && req.socket.localPort) || 0; // a SYN never answered: port still bound
    req.destroy(new Error('timeout'));
  });
  req.on('error', (e) => done(false, e.code || e.message));
}

request();
readline
  .createInterface({ input: process.stdin })
  .on('line', (line) => {
    const [cmd, arg] = line.split(' ');
    if (cmd === 'open') {
      for (let i = 0; i < nStreams; i++) openStream(i);
      print({ opened: nStreams, t: Date.now() });
    } else if (cmd === 'mark') print({ mark: arg, t: Date.now() });
    else if (cmd === 'report') print({ report: { t: Date.now(), streams, requests } });
  })
  .on('close', () => process.exit(0));
print({ ready: true, t: Date.now() });
