'use strict';
// The client of the ECMP bed: new HTTP connections to the VIP through the router.
//   node client.js probe VIP PORT...   one request per local port; prints `PORT NAME` or `PORT ERR reason`
//   node client.js loop VIP FILE       requests back to back from fresh ports until SIGTERM; keeps FILE at
//                                      {"ok":N,"failed":N,"byReason":{...},"failures":[...]} (after every request)
//   node client.js streams VIP N FILE  N long-lived connections to VIP:9000, each writing a line every 100 ms
//                                      and counting the echoes, until SIGTERM; keeps FILE at
//                                      [{"port":P,"echoes":N,"error":null|"why"},...] (every 100 ms)
const http = require('node:http');
const fs = require('node:fs');
const net = require('node:net');

/** FILE holds `value` as JSON, replaced whole (a reader never sees half of it). */
function keep(file, value) {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(value));
  fs.renameSync(`${file}.tmp`, file);
}

function streams(vip, n, file) {
  const all = [];
  for (let i = 0; i < n; i++) {
    const s = { port: 0, echoes: 0, error: null };
    all.push(s);
    const sock = net.connect({ host: vip, port: 9000 });
    let timer;
    const fail = (why) => {
      if (s.error === null) s.error = why;
      clearInterval(timer);
    };
    sock.setNoDelay(true);
    sock.on('connect', () => {
      s.port = sock.localPort;
      timer = setInterval(() => sock.write(`${i}\n`), 100);
    });
    sock.on('data', () => s.echoes++);
    sock.on('error', (e) => fail(e.code || e.message));
    sock.on('close', () => fail('closed'));
  }
  const write = () => {
    keep(file, all);
  };
  const every = setInterval(write, 100);
  process.on('SIGTERM', () => {
    clearInterval(every);
    write();
    process.exit(0);
  });
}

function get(vip, localPort) {
  return new Promise((resolve) => {
    const req = http.get(
      { host: vip, port: 80, path: '/', agent: false, timeout: 2000, ...(localPort ? { localPort } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () =>
          resolve(
            res.statusCode === 200 ? { ok: true, name: body.trim() } : { ok: false, reason: `HTTP ${res.statusCode}` },
          ),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ ok: false, reason: e.code || e.message }));
  });
}

async function main() {
  const [mode, vip, ...rest] = process.argv.slice(2);
  if (mode === 'probe') {
    for (const p of rest) {
      const r = await get(vip, Number(p));
      process.stdout.write(r.ok ? `${p} ${r.name}\n` : `${p} ERR ${r.reason}\n`);
    }
    return;
  }
  if (mode === 'loop') {
    const file = rest[0];
    const counts = { ok: 0, failed: 0, byReason: {}, failures: [] };
    let stop = false;
    process.on('SIGTERM', () => (stop = true));
    while (!stop) {
      const r = await get(vip);
      if (r.ok) counts.ok++;
      else {
        counts.failed++;
        counts.byReason[r.reason] = (counts.byReason[r.reason] || 0) + 1;
        if (counts.failures.length < 20) counts.failures.push({ at: Date.now(), reason: r.reason });
      }
      keep(file, counts);
    }
    return;
  }
  if (mode === 'streams') return streams(vip, Number(rest[0]), rest[1]);
  process.stderr.write('usage: client.js probe VIP PORT... | loop VIP FILE | streams VIP N FILE\n');
  process.exitCode = 2;
}
main();
