// CPU per HTTP check by client, each opening a new TCP connection per check as ldirectord and keepalived do:
//   undici, new Client per check   what https checks use (src/health/services/http-undici.ts)
//   ours: plainExchange            what http and http_proxy checks use (src/health/services/http-plain.ts)
//   node:http, agent: false        Node's own HTTP client, a new connection per request
//   bare node:net                  the least a Node client can do: connect, write, read to EOF, nothing checked
//   C epoll client (kernel floor)  bench/floor/tcp-floor.c, compiled with gcc when present: the kernel's share
// One loopback server in a child process, 64 checks in flight, 5 s per client, two rounds. Prints a table.
//   npx tsx bench/http-client-cost.ts
// tsx source-maps every Error stack, which makes undici (an Error per closed connection) dearer still; for
// figures without it, compile as bench/checks.ts's header shows. docs/decisions/007-http-check-cost.md.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'undici';
import { plainExchange } from '../src/health/services/http-plain';
import { httpTarget } from '../src/health/services/http-target';

const SERVER = `const net=require('net');const r='HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\nConnection: close\\r\\n\\r\\nok\\n';
net.createServer(c=>{c.on('error',()=>{});c.once('data',()=>c.end(r));}).listen({host:'127.0.0.1',port:0,backlog:4096},function(){console.log(this.address().port)});`;
const SECONDS = 5;
const IN_FLIGHT = 64;

type Probe = (port: number) => Promise<boolean>;

const viaUndici: Probe = async (port) => {
  const c = new Client(`http://127.0.0.1:${port}`, { pipelining: 1 });
  try {
    const r = await c.request({ path: '/', method: 'GET', headers: { connection: 'close' } });
    return r.statusCode === 200 && /ok/.test(await r.body.text());
  } catch {
    return false;
  } finally {
    await c.close().catch(() => c.destroy());
  }
};

const viaOurs = (): Probe => {
  const targets = new Map<number, ReturnType<typeof httpTarget>>();
  return async (port) => {
    let target = targets.get(port);
    if (target === undefined) {
      target = httpTarget({
        service: 'http',
        address: '127.0.0.1',
        port,
        request: '/',
        httpmethod: 'GET',
      } as Parameters<typeof httpTarget>[0]);
      targets.set(port, target);
    }
    try {
      // A controller per check, as the pool makes one per check.
      const a = await plainExchange(target, target.path, 1 << 20, new AbortController().signal);
      return a.status === 200 && /ok/.test(a.body);
    } catch {
      return false;
    }
  };
};

const viaNodeHttp: Probe = (port) =>
  new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/', method: 'GET', agent: false, headers: { connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(res.statusCode === 200 && /ok/.test(body)));
        res.on('error', () => resolve(false));
      },
    );
    req.on('error', () => resolve(false));
    req.end();
  });

const REQUEST = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
const viaNet: Probe = (port) =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('data', () => undefined);
    s.on('error', () => resolve(false));
    s.on('end', () => {
      s.destroy();
      resolve(true);
    });
    s.write(REQUEST);
  });

async function measure(
  probe: Probe,
  port: number,
): Promise<{ checks: number; ok: number; user: number; system: number }> {
  let checks = 0;
  let ok = 0;
  const end = Date.now() + SECONDS * 1000;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (Date.now() < end) {
        checks += 1;
        if (await probe(port)) ok += 1;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { checks, ok, user: cpu.user, system: cpu.system };
}

/** The C floor, compiled into a temporary directory; undefined without gcc. */
function floorBinary(): string | undefined {
  const source = join(__dirname, 'floor', 'tcp-floor.c');
  if (!existsSync('/usr/bin/gcc') || !existsSync(source)) return undefined;
  const out = join(mkdtempSync(join(tmpdir(), 'tcp-floor-')), 'tcp-floor');
  execFileSync('gcc', ['-O2', '-o', out, source]);
  return out;
}

function row(name: string, r: { checks: number; ok: number; user: number; system: number }): string {
  const per = (us: number): string => (us / r.checks).toFixed(0);
  return `| ${name} | ${r.checks} | ${r.ok} | ${(r.checks / SECONDS).toFixed(0)} | ${per(r.user + r.system)} µs | ${per(r.user)} µs | ${per(r.system)} µs |`;
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(String(await new Promise<Buffer>((r) => server.stdout.once('data', r))));
  const floor = floorBinary();
  console.log(
    `HTTP check cost by client: a new connection per check, ${IN_FLIGHT} in flight, ${SECONDS} s each, node ${process.version}\n`,
  );
  console.log(
    '| client | checks | ok | checks/s | CPU per check | user | system |\n|---|---:|---:|---:|---:|---:|---:|',
  );
  const ours = viaOurs();
  for (let round = 0; round < 2; round += 1) {
    console.log(row('undici, new Client per check (https)', await measure(viaUndici, port)));
    console.log(row('ours: plainExchange (http, http_proxy)', await measure(ours, port)));
    console.log(row('node:http, agent: false', await measure(viaNodeHttp, port)));
    console.log(row('bare node:net, nothing checked', await measure(viaNet, port)));
    if (floor !== undefined) {
      const [checks, user, system] = execFileSync(floor, [String(port), String(SECONDS)], { encoding: 'utf8' })
        .trim()
        .split(' ')
        .map(Number) as [number, number, number];
      console.log(row('C epoll client (the kernel floor)', { checks, ok: checks, user, system }));
    }
  }
  if (floor === undefined) console.log('\n(no gcc: the C floor row is missing)');
  server.kill();
}

void main();
