// The end-to-end topology, built inside the guest kernel (never on the host): all addresses live in network
// namespaces this file creates, so no packet leaves the guest.
//
//   client ns "ldc"  10.2.0.2 ──veth── 10.2.0.1  ┐
//                                               │  root ns = the director: VIP 10.3.0.1 on dummy "ldvip",
//   real ns "ldr1"   10.1.1.2 ──veth── 10.1.1.1  │  ip_forward=1, IPVS NAT (masq)
//   real ns "ldr2"   10.1.2.2 ──veth── 10.1.2.1  │
//   real ns "ldr3"   10.1.3.2 ──veth── 10.1.3.1  │
//   sorry ns "ldr4"  10.1.4.2 ──veth── 10.1.4.1  ┘
// Every namespace routes by default through the root namespace, so NAT replies return through IPVS.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';

export const VIP = '10.3.0.1';
export const realAddress = (i: number): string => `10.1.${i}.2`;

const ip = (...args: string[]): void => void execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export function buildTopology(): void {
  execFileSync('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  ip('link', 'add', 'ldvip', 'type', 'dummy');
  ip('addr', 'add', `${VIP}/32`, 'dev', 'ldvip');
  ip('link', 'set', 'ldvip', 'up');
  const ns = (name: string, hostSide: string, inside: string, gw: string): void => {
    ip('netns', 'add', name);
    ip('link', 'add', `v${name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name);
    ip('addr', 'add', `${gw}/24`, 'dev', `v${name}`);
    ip('link', 'set', `v${name}`, 'up');
    ip('-n', name, 'addr', 'add', `${inside}/24`, 'dev', 'eth0');
    ip('-n', name, 'link', 'set', 'eth0', 'up');
    ip('-n', name, 'link', 'set', 'lo', 'up');
    ip('-n', name, 'route', 'add', 'default', 'via', gw);
    void hostSide;
  };
  ns('ldc', 'vldc', '10.2.0.2', '10.2.0.1');
  for (const i of [1, 2, 3, 4]) ns(`ldr${i}`, `vldr${i}`, realAddress(i), `10.1.${i}.1`);
}

export function teardownTopology(): void {
  for (const n of ['ldc', 'ldr1', 'ldr2', 'ldr3', 'ldr4']) {
    // `ip netns del` only removes the name: the kernel destroys the namespace (and the veth pair whose
    // root-side end is v<name>) later, asynchronously. Deleting the root-side end is synchronous, so the
    // next buildTopology() cannot collide with a pair that is still being torn down ("File exists").
    for (const args of [
      ['link', 'del', `v${n}`],
      ['netns', 'del', n],
    ]) {
      try {
        ip(...args);
      } catch {
        // already gone
      }
    }
  }
  try {
    ip('link', 'del', 'ldvip');
  } catch {
    // already gone
  }
}

const SERVER = `
const http = require('http');
const name = process.argv[1];
http.createServer((req, res) => { res.setHeader('connection', 'close'); res.end(name + ' ok\\n'); })
  .listen(80, '0.0.0.0', () => console.log('listening'));
`;

/** An HTTP server answering `<name> ok` in namespace `ns`; resolves once it listens. */
export async function startHttpServer(ns: string, name: string): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', SERVER, name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`http server in ${ns} exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).once('line', () => resolve());
  });
  return child;
}

export interface ClientResult {
  readonly start: number;
  readonly end: number;
  readonly ok: boolean;
  readonly body?: string;
  readonly error?: string;
}

const CLIENT = `
const http = require('http');
const url = process.argv[1];
let stop = false;
process.on('SIGTERM', () => { stop = true; });
function one() {
  if (stop) return process.exit(0);
  const start = Date.now();
  const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => { console.log(JSON.stringify({ start, end: Date.now(), ok: res.statusCode === 200, body: body.trim() })); setTimeout(one, 20); });
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (e) => { console.log(JSON.stringify({ start, end: Date.now(), ok: false, error: e.code || e.message })); setTimeout(one, 20); });
}
one();
`;

/** A steady stream of new-connection HTTP requests to the VIP from the client namespace. */
export function startClient(): {
  results: ClientResult[];
  stop(): Promise<void>;
  waitFor(pred: (r: ClientResult) => boolean): Promise<ClientResult>;
} {
  const child = spawn('ip', ['netns', 'exec', 'ldc', process.execPath, '-e', CLIENT, `http://${VIP}/`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const results: ClientResult[] = [];
  const waiters: Array<{ pred: (r: ClientResult) => boolean; resolve: (r: ClientResult) => void }> = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const r = JSON.parse(line) as ClientResult;
    results.push(r);
    for (const w of [...waiters])
      if (w.pred(r)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(r);
      }
  });
  return {
    results,
    waitFor: (pred) => new Promise((resolve) => waiters.push({ pred, resolve })),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
