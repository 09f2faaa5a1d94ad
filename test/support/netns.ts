// Network plumbing for tests inside the guest kernel (root, IPVS loaded): network namespaces, veth pairs,
// bridges, addresses, routes, sysctls, and processes in a namespace (HTTP real servers, HTTP clients).
// Everything is created inside the guest, so no packet leaves it; the addresses used by buildNatLab are
// documentation ranges (RFC 5737 / RFC 3849).
//
// The calling process's own namespace plays the director: IPVS state is per network namespace and our
// netlink client talks to the namespace it runs in, so the IPVS table the tests program is the one the
// client namespace's packets traverse.
//
//   client ns (<prefix>cl)                 director (this process)                  real-server ns (<prefix>rsN)
//   eth0 198.51.100.2/24 ── veth ── <prefix>c 198.51.100.1/24 + VIP .10
//                                          <prefix>br 203.0.113.1/24 ── veth ── eth0 203.0.113.(10+N)/24
//   (IPv6: 2001:db8:c::2/64, director 2001:db8:c::1 + VIP ::10; servers 2001:db8:5::(10+N)/64 via 2001:db8:5::1)
//
// Every resource acquired pushes its teardown; dispose() runs them in reverse and is safe to call twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

import { spawnRunner, type RunResult, type Runner } from './ipvsadm';

export type Family = 'inet' | 'inet6';

/** A command failed, or a helper process did not come up. `code` is stable; the message names the command. */
export class NetLabError extends Error {
  readonly code: 'NETLAB_COMMAND_FAILED' | 'NETLAB_PROCESS_FAILED' | 'NETLAB_BAD_OUTPUT' | 'NETLAB_REQUEST_FAILED';
  constructor(code: NetLabError['code'], message: string) {
    super(message);
    this.name = 'NetLabError';
    this.code = code;
  }
}

export interface Netns {
  readonly name: string;
}

/** A long-running helper process in a namespace; it also exits when our end of its stdin closes. */
export interface NsProcess {
  readonly pid: number;
  stop(): Promise<void>;
}

/** A helper with a line protocol on its stdin/stdout. */
interface LineProcess extends NsProcess {
  /** Writes one line and resolves the next line the helper prints. */
  ask(line: string): Promise<string>;
}

export interface HttpServer extends NsProcess {
  readonly ns: Netns;
  readonly host: string;
  readonly port: number;
  /** The body every response carries (the server's name, so a client can count who answered). */
  readonly body: string;
}

export interface NetLab {
  /** `ip netns add`, loopback up. The name gets the lab's prefix. */
  namespace(name: string): Promise<Netns>;
  /** A veth pair `aName`/`bName`; an end with no namespace stays in the director's. Both ends up. */
  veth(
    a: { readonly ns?: Netns; readonly name: string },
    b: { readonly ns?: Netns; readonly name: string },
  ): Promise<void>;
  /** A bridge in the director's namespace (or `ns`), up. */
  bridge(name: string, ns?: Netns): Promise<void>;
  /** Enslaves `dev` to `bridge`. */
  attach(dev: string, bridge: string, ns?: Netns): Promise<void>;
  /** Adds an address (`198.51.100.1/24`, `2001:db8::1/64`; IPv6 without duplicate detection) and sets the link up. */
  address(dev: string, cidr: string, ns?: Netns): Promise<void>;
  /** `ip [-6] route add default via GW`. */
  defaultRoute(gateway: string, ns?: Netns): Promise<void>;
  sysctl(key: string, value: string, ns?: Netns): Promise<void>;
  /** `ip ARGS…` in the director's namespace or in `ns`; resolves stdout. */
  ip(args: readonly string[], ns?: Netns): Promise<string>;
  /**
   * Many `ip` commands in one process (`ip [-n NS] -batch -`): in the guest every process start costs tens
   * of milliseconds, so topologies are built a batch per namespace. Stops at the first failing line.
   */
  ipBatch(lines: readonly (readonly string[])[], ns?: Netns): Promise<void>;
  /** Creates several namespaces (loopback up) with two processes in all; they are deleted on dispose. */
  namespaces(names: readonly string[]): Promise<Netns[]>;
  /** Registers a teardown step of the caller's own, run in reverse order with the lab's. */
  onDispose(step: () => Promise<void>): void;
  /** Runs a program to completion in `ns` (or the director's namespace). Rejects on a non-zero exit. */
  exec(argv: readonly string[], ns?: Netns): Promise<RunResult>;
  /** Starts a Node HTTP server in `ns` answering every request with `body`; resolves once it listens. */
  httpServer(
    ns: Netns,
    options: { readonly host: string; readonly port: number; readonly body: string },
  ): Promise<HttpServer>;
  /**
   * Sends `count` HTTP GETs from `ns` to `url`, one after another, each on a new connection, and counts the
   * response bodies. Rejects with NETLAB_REQUEST_FAILED if any request fails. One helper process per
   * namespace serves all calls (started on first use).
   */
  httpRequests(ns: Netns, url: string, count: number): Promise<Map<string, number>>;
  /** Tears down everything this lab made, in reverse order. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface NetLabOptions {
  readonly run?: Runner;
  /** Prefix of namespace, link and bridge names (keep it short: interface names max out at 15 chars). */
  readonly prefix?: string;
  /** The node binary helper processes run with (default: this process's). */
  readonly node?: string;
  /** Spawns long-running helpers (default: child_process.spawn). */
  readonly spawnProcess?: typeof spawn;
}

const SERVER_JS = `
const http = require('node:http');
const [host, port, body] = process.argv.slice(1);
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
  res.end(body);
});
server.on('error', (e) => { process.stderr.write(String(e) + '\\n'); process.exit(1); });
server.listen(Number(port), host, () => process.stdout.write('listening\\n'));
process.stdin.on('end', () => process.exit(0)).resume();
`;

// Reads "URL COUNT" lines; answers each with one JSON line: {"counts":{body:n}} or {"error":"…"}.
const CLIENT_JS = `
const http = require('node:http');
const readline = require('node:readline');
function once(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { connection: 'close' }, timeout: 10000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s) => { body += s; }).on('end', () => resolve(body)).on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout after 10 s')));
    req.on('error', reject);
  });
}
async function serve(line) {
  const [url, count] = line.split(' ');
  const counts = {};
  for (let i = 0; i < Number(count); i++) {
    let body;
    try { body = await once(url); } catch (e) { return { error: 'request ' + (i + 1) + ' of ' + count + ' to ' + url + ': ' + e.message }; }
    counts[body] = (counts[body] || 0) + 1;
  }
  return { counts };
}
const queue = [];
let busy = false;
async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length > 0) process.stdout.write(JSON.stringify(await serve(queue.shift())) + '\\n');
  busy = false;
}
readline.createInterface({ input: process.stdin }).on('line', (l) => { queue.push(l); pump(); }).on('close', () => process.exit(0));
process.stdout.write('ready\\n');
`;

export function createNetLab(options: NetLabOptions = {}): NetLab {
  const run = options.run ?? spawnRunner;
  const prefix = options.prefix ?? 'lt';
  const node = options.node ?? process.execPath;
  const spawnProcess = options.spawnProcess ?? spawn;
  const disposers: Array<() => Promise<void>> = [];

  const inNs = (argv: readonly string[], ns?: Netns): string[] =>
    ns ? ['ip', 'netns', 'exec', ns.name, ...argv] : [...argv];

  async function exec(argv: readonly string[], ns?: Netns): Promise<RunResult> {
    const full = inNs(argv, ns);
    const r = await run(full[0] ?? '', full.slice(1));
    if (r.status !== 0) {
      throw new NetLabError('NETLAB_COMMAND_FAILED', `${full.join(' ')}: exit ${String(r.status)}: ${r.stderr.trim()}`);
    }
    return r;
  }

  const ip = async (args: readonly string[], ns?: Netns): Promise<string> =>
    (await exec(ns ? ['ip', '-n', ns.name, ...args] : ['ip', ...args])).stdout;

  /** Starts a helper; resolves when its first stdout line equals `ready`. */
  function helper(ns: Netns, script: string, args: readonly string[], ready: string): Promise<LineProcess> {
    return new Promise((resolve, reject) => {
      const argv = inNs([node, '-e', script, ...args], ns);
      const child: ChildProcess = spawnProcess(argv[0] ?? '', argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (s: string) => {
        stderr += s;
      });
      const exited = new Promise<void>((done) => child.once('close', () => done()));
      const waiting: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
      let readyYet = false;
      const proc: LineProcess = {
        pid: child.pid ?? -1,
        ask: (line) =>
          new Promise((res, rej) => {
            waiting.push({ resolve: res, reject: rej });
            child.stdin?.write(`${line}\n`);
          }),
        stop: async () => {
          child.stdin?.end();
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      };
      const fail = (why: string): void => {
        reject(
          new NetLabError(
            'NETLAB_PROCESS_FAILED',
            `${argv.slice(0, 4).join(' ')} … ${args.join(' ')}: ${why}: ${stderr.trim()}`,
          ),
        );
      };
      child.once('error', (e) => fail(e.message));
      child.once('close', (code) => {
        fail(`exited with ${String(code)} before it was ready`);
        for (const w of waiting.splice(0))
          w.reject(
            new NetLabError('NETLAB_PROCESS_FAILED', `helper in ${ns.name} exited (${String(code)}): ${stderr.trim()}`),
          );
      });
      if (child.stdout === null) return fail('no stdout');
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!readyYet) {
          readyYet = true;
          if (line !== ready) return fail(`said ${JSON.stringify(line)} instead of ${JSON.stringify(ready)}`);
          disposers.push(() => proc.stop());
          return resolve(proc);
        }
        waiting.shift()?.resolve(line);
      });
    });
  }

  const clients = new Map<string, Promise<LineProcess>>();

  async function ipBatch(lines: readonly (readonly string[])[], ns?: Netns): Promise<void> {
    if (lines.length === 0) return;
    const args = [...(ns ? ['-n', ns.name] : []), '-batch', '-'];
    const r = await run('ip', args, lines.map((l) => `${l.join(' ')}\n`).join(''));
    if (r.status !== 0) {
      throw new NetLabError(
        'NETLAB_COMMAND_FAILED',
        `ip ${args.join(' ')} (${lines.length} commands): exit ${String(r.status)}: ${r.stderr.trim()}`,
      );
    }
  }

  const lab: NetLab = {
    ipBatch,
    async namespaces(names) {
      const all = names.map((n) => ({ name: `${prefix}${n}` }));
      await ipBatch(all.map((ns) => ['netns', 'add', ns.name]));
      disposers.push(async () => {
        await ipBatch(all.map((ns) => ['netns', 'del', ns.name]).reverse());
      });
      await Promise.all(all.map((ns) => ip(['link', 'set', 'lo', 'up'], ns)));
      return all;
    },
    onDispose(step) {
      disposers.push(step);
    },
    async namespace(name) {
      const ns = { name: `${prefix}${name}` };
      await exec(['ip', 'netns', 'add', ns.name]);
      disposers.push(async () => {
        await exec(['ip', 'netns', 'del', ns.name]);
      });
      await ip(['link', 'set', 'lo', 'up'], ns);
      return ns;
    },
    async veth(a, b) {
      await ip(['link', 'add', a.name, 'type', 'veth', 'peer', 'name', b.name]);
      disposers.push(async () => {
        // Deleting either end deletes the pair; a namespace's deletion may already have done it.
        await exec(['ip', 'link', 'del', a.name], a.ns).catch(() => undefined);
      });
      if (a.ns) await ip(['link', 'set', a.name, 'netns', a.ns.name]);
      if (b.ns) await ip(['link', 'set', b.name, 'netns', b.ns.name]);
      await ip(['link', 'set', a.name, 'up'], a.ns);
      await ip(['link', 'set', b.name, 'up'], b.ns);
    },
    async bridge(name, ns) {
      await ip(['link', 'add', name, 'type', 'bridge'], ns);
      disposers.push(async () => {
        await exec(['ip', 'link', 'del', name], ns).catch(() => undefined);
      });
      await ip(['link', 'set', name, 'up'], ns);
    },
    async attach(dev, bridge, ns) {
      await ip(['link', 'set', dev, 'master', bridge], ns);
    },
    async address(dev, cidr, ns) {
      await ip(['addr', 'add', cidr, 'dev', dev, ...(cidr.includes(':') ? ['nodad'] : [])], ns);
      await ip(['link', 'set', dev, 'up'], ns);
    },
    async defaultRoute(gateway, ns) {
      await ip([...(gateway.includes(':') ? ['-6'] : []), 'route', 'add', 'default', 'via', gateway], ns);
    },
    async sysctl(key, value, ns) {
      if (ns === undefined) {
        // The director's own namespace is ours: no process needed.
        await writeFile(`/proc/sys/${key.replace(/\./g, '/')}`, value).catch((e: Error) => {
          throw new NetLabError('NETLAB_COMMAND_FAILED', `sysctl ${key}=${value}: ${e.message}`);
        });
        return;
      }
      await exec(['sysctl', '-q', '-w', `${key}=${value}`], ns);
    },
    ip,
    exec,
    async httpServer(ns, o) {
      const p = await helper(ns, SERVER_JS, [o.host, String(o.port), o.body], 'listening');
      return { ...p, ns, host: o.host, port: o.port, body: o.body };
    },
    async httpRequests(ns, url, count) {
      let client = clients.get(ns.name);
      if (client === undefined) {
        client = helper(ns, CLIENT_JS, [], 'ready');
        clients.set(ns.name, client);
      }
      const line = await (await client).ask(`${url} ${count}`);
      let parsed: { counts?: Record<string, number>; error?: string };
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        throw new NetLabError('NETLAB_BAD_OUTPUT', `HTTP client in ${ns.name} printed ${JSON.stringify(line)}`);
      }
      if (parsed.error !== undefined)
        throw new NetLabError('NETLAB_REQUEST_FAILED', `from ${ns.name}: ${parsed.error}`);
      return new Map(Object.entries(parsed.counts ?? {}));
    },
    async dispose() {
      const errors: unknown[] = [];
      while (disposers.length > 0) {
        const d = disposers.pop();
        try {
          await d?.();
        } catch (e) {
          errors.push(e);
        }
      }
      if (errors.length > 0)
        throw new AggregateError(errors, `netlab dispose: ${errors.length} teardown step(s) failed`);
    },
  };
  return lab;
}

export interface NatLab {
  readonly family: Family;
  readonly client: Netns;
  readonly clientAddress: string;
  /** The virtual IP, on the director's client-facing link. */
  readonly vip: string;
  readonly realServers: readonly HttpServer[];
  /** `http://VIP:port/` with IPv6 brackets as needed. */
  url(port: number): string;
}

const PLAN: Record<
  Family,
  { client: string; director: string; vip: string; bits: number; rsNet: (n: number) => string; rsBits: number }
> = {
  inet: {
    client: '198.51.100.2',
    director: '198.51.100.1',
    vip: '198.51.100.10',
    bits: 24,
    rsNet: (n) => `203.0.113.${n}`,
    rsBits: 24,
  },
  inet6: {
    client: '2001:db8:c::2',
    director: '2001:db8:c::1',
    vip: '2001:db8:c::10',
    bits: 64,
    rsNet: (n) => `2001:db8:5::${n}`,
    rsBits: 64,
  },
};

/**
 * A NAT (masq) setup: a client namespace on one veth, `servers` real-server namespaces on a bridge behind the
 * director, each running an HTTP server on `serverPort` that answers with its name (`rs1`, `rs2`, …). The
 * director forwards; the VIP is one of its addresses. IPVS itself is left to the test.
 */
export async function buildNatLab(
  lab: NetLab,
  o: { readonly family: Family; readonly servers: number; readonly serverPort: number; readonly prefix?: string },
): Promise<NatLab> {
  const p = PLAN[o.family];
  const tag = o.prefix ?? (o.family === 'inet' ? 'n4' : 'n6');
  const v6 = o.family === 'inet6' ? ['nodad'] : [];
  // No -6 in a batch line: ip takes the route's family from the gateway address.
  if (o.family === 'inet') await lab.sysctl('net.ipv4.ip_forward', '1');
  else await lab.sysctl('net.ipv6.conf.all.forwarding', '1');

  const servers = Array.from({ length: o.servers }, (_, k) => k + 1);
  const [client, ...rsNs] = await lab.namespaces([`${tag}cl`, ...servers.map((i) => `${tag}rs${i}`)]);
  if (client === undefined) throw new NetLabError('NETLAB_COMMAND_FAILED', 'no client namespace');
  const bridge = `${tag}br`;
  // The director's side, in one batch: links, their peers moved into the namespaces, addresses, bridge.
  lab.onDispose(async () => {
    await lab
      .ipBatch([
        ['link', 'del', `${tag}c`],
        ['link', 'del', bridge],
        ...servers.map((i) => ['link', 'del', `${tag}r${i}`]),
      ])
      .catch(() => undefined);
  });
  await lab.ipBatch([
    ['link', 'add', `${tag}c`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', client.name],
    ['addr', 'add', `${p.director}/${p.bits}`, 'dev', `${tag}c`, ...v6],
    ['addr', 'add', `${p.vip}/${p.bits}`, 'dev', `${tag}c`, ...v6],
    ['link', 'set', `${tag}c`, 'up'],
    ['link', 'add', bridge, 'type', 'bridge'],
    ['addr', 'add', `${p.rsNet(1)}/${p.rsBits}`, 'dev', bridge, ...v6],
    ['link', 'set', bridge, 'up'],
    ...servers.flatMap((i) => [
      ['link', 'add', `${tag}r${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', rsNs[i - 1]?.name ?? ''],
      ['link', 'set', `${tag}r${i}`, 'master', bridge],
      ['link', 'set', `${tag}r${i}`, 'up'],
    ]),
  ]);
  // Each namespace's side, one batch each.
  await lab.ipBatch(
    [
      ['addr', 'add', `${p.client}/${p.bits}`, 'dev', 'eth0', ...v6],
      ['link', 'set', 'eth0', 'up'],
      ['route', 'add', 'default', 'via', p.director],
    ],
    client,
  );
  const realServers: HttpServer[] = [];
  for (const i of servers) {
    const ns = rsNs[i - 1];
    if (ns === undefined) throw new NetLabError('NETLAB_COMMAND_FAILED', `no namespace for real server ${i}`);
    const address = p.rsNet(10 + i);
    await lab.ipBatch(
      [
        ['addr', 'add', `${address}/${p.rsBits}`, 'dev', 'eth0', ...v6],
        ['link', 'set', 'eth0', 'up'],
        ['route', 'add', 'default', 'via', p.rsNet(1)],
      ],
      ns,
    );
  }
  // The servers start in parallel (each is a node process in its namespace).
  realServers.push(
    ...(await Promise.all(
      servers.map((i) =>
        lab.httpServer(rsNs[i - 1] as Netns, { host: p.rsNet(10 + i), port: o.serverPort, body: `rs${i}` }),
      ),
    )),
  );
  const host = o.family === 'inet6' ? `[${p.vip}]` : p.vip;
  return {
    family: o.family,
    client,
    clientAddress: p.client,
    vip: p.vip,
    realServers,
    url: (port) => `http://${host}:${port}/`,
  };
}
