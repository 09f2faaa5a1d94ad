// CPU per HTTP check by client: undici with a new Client per check (what src/health/checks/http.ts does, for
// a new TCP connection per check as ldirectord makes) against a hand-written HTTP/1.1 exchange on node:net.
// One loopback server in a child process, 64 checks in flight, 6 s per client, two rounds. Prints a table.
//   npx tsx bench/http-client-cost.ts
// (docs/decisions/007-http-check-cost.md uses its figures.)
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { Client } from 'undici';

const SERVER = `const net=require('net');const r='HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\nConnection: close\\r\\n\\r\\nok\\n';
net.createServer(c=>{c.on('error',()=>{});c.once('data',()=>c.end(r));}).listen({host:'127.0.0.1',port:0,backlog:4096},function(){console.log(this.address().port)});`;

type Probe = (port: number) => Promise<boolean>;

const viaNet: Probe = (port) => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1');
  let answer = '';
  s.on('connect', () => s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
  s.on('data', (d) => { answer += d.toString(); });
  s.on('error', () => resolve(false));
  s.on('close', () => resolve(/^HTTP\/1\.[01] 2\d\d/.test(answer) && /ok/.test(answer)));
});

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

async function measure(name: string, probe: Probe, port: number, seconds: number, inFlight: number): Promise<string> {
  let checks = 0;
  let ok = 0;
  const end = Date.now() + seconds * 1000;
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (Date.now() < end) {
      checks += 1;
      if (await probe(port)) ok += 1;
    }
  }));
  const cpu = process.cpuUsage(cpu0);
  const perCheckUs = ((cpu.user + cpu.system) / checks).toFixed(0);
  return `| ${name} | ${checks} | ${ok} | ${(checks / seconds).toFixed(0)} | ${perCheckUs} µs |`;
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(String(await new Promise<Buffer>((r) => server.stdout.once('data', r))));
  console.log('| client | checks | ok | checks/s | checker CPU per check |\n|---|---:|---:|---:|---:|');
  for (let round = 0; round < 2; round += 1) {
    console.log(await measure('undici, new Client per check', viaUndici, port, 6, 64));
    console.log(await measure('node:net, hand-written HTTP/1.1', viaNet, port, 6, 64));
  }
  server.kill();
}

void main();
