// Programming a big IPVS table three ways, inside one guest-kernel run (numbers from different runs or
// machines are not comparable: see docs/decisions/003-guest-kernel.md):
//   (a) our netlink client: every operation issued at once (the client's window paces them), and also one
//       operation at a time, each awaited;
//   (b) one `ipvsadm` process per operation, each awaited: what the Perl ldirectord does;
//   (c) one `ipvsadm -R` process fed every rule.
// The table is 100 services × 100 destinations (10,100 operations), flushed between methods and checked with
// `ipvsadm -S -n` after each. (b) starts ~10,000 processes, which takes many minutes in the guest, so by
// default it runs the first 10 services (1,010 processes) and scales the time to the full table (the kernel
// work per service is the same for every service); --full runs it all.
//
//   scripts/guest/run -- npx tsx bench/ipvs-guest.ts [--full] [--services N] [--dests N]
import { existsSync } from 'node:fs';

import { openIpvs } from '../src/ipvs';
import type { IpvsClient, IpvsDest, IpvsService } from '../src/ipvs/types';
import { createIpvsadm, spawnRunner } from '../test/support/ipvsadm';

interface Options {
  readonly services: number;
  readonly dests: number;
  readonly full: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  let services = 100;
  let dests = 100;
  let full = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const n = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1 || v > 1000)
        throw new Error(`bench/ipvs-guest: ${a} needs a whole number 1..1000`);
      return v;
    };
    if (a === '--full') full = true;
    else if (a === '--services') services = n();
    else if (a === '--dests') dests = n();
    else throw new Error(`bench/ipvs-guest: unknown argument ${String(a)}`);
  }
  return { services, dests, full };
}

const NO_FLAGS = { persistent: false, onePacket: false, sched1: false, sched2: false, sched3: false };
const vip = (i: number): string => `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`;
const svc = (i: number): IpvsService => ({
  family: 'inet',
  protocol: 'tcp',
  address: vip(i),
  port: 80,
  scheduler: 'wrr',
  flags: NO_FLAGS,
  timeout: 0,
  netmask: '255.255.255.255',
});
const dst = (j: number): IpvsDest => ({
  family: 'inet',
  address: `198.19.${Math.floor(j / 250)}.${(j % 250) + 1}`,
  port: 8080,
  forwarding: 'masq',
  weight: 1 + (j % 5),
  upperThreshold: 0,
  lowerThreshold: 0,
});
const ipvsadmRules = (i: number, dests: number): string[][] => [
  ['-A', '-t', `${vip(i)}:80`, '-s', 'wrr'],
  ...Array.from({ length: dests }, (_, j) => [
    '-a',
    '-t',
    `${vip(i)}:80`,
    '-r',
    `${dst(j).address}:8080`,
    '-m',
    '-w',
    String(dst(j).weight),
  ]),
];

const ipvsadm = createIpvsadm();

async function timed(f: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

async function median3(f: () => Promise<number>): Promise<number> {
  const xs = [await f(), await f(), await f()].sort((a, b) => a - b);
  return xs[1] ?? Number.NaN;
}

/** Flushes, runs `program`, checks the table holds exactly `services` × (1 + dests) rules. */
async function measure(
  label: string,
  o: { services: number; dests: number },
  program: () => Promise<void>,
): Promise<number> {
  await ipvsadm.clear();
  const ms = await timed(program);
  const rules = (await ipvsadm.save()).split('\n').filter(Boolean).length;
  const want = o.services * (1 + o.dests);
  if (rules !== want) throw new Error(`bench/ipvs-guest: ${label} left ${rules} rules in the table, expected ${want}`);
  return ms;
}

async function clientConcurrent(ipvs: IpvsClient, o: Options): Promise<void> {
  const services = Array.from({ length: o.services }, (_, i) => svc(i));
  await Promise.all(services.map((s) => ipvs.addService(s)));
  await Promise.all(services.flatMap((s) => Array.from({ length: o.dests }, (_, j) => ipvs.addDest(s, dst(j)))));
}

async function clientSequential(ipvs: IpvsClient, o: Options): Promise<void> {
  for (let i = 0; i < o.services; i++) {
    await ipvs.addService(svc(i));
    for (let j = 0; j < o.dests; j++) await ipvs.addDest(svc(i), dst(j));
  }
}

/**
 * One ipvsadm process per rule, each waited for, started by a small shell reading the rules from stdin:
 * like the Perl ldirectord's system() calls, from a small process. (Forking Node itself costs far more
 * in the guest, since UML copies the parent's large address space, and would overstate (b).)
 */
async function ipvsadmPerOperation(services: number, dests: number): Promise<void> {
  const rules = Array.from({ length: services }, (_, i) => ipvsadmRules(i, dests))
    .flat()
    .map((r) => `${r.join(' ')}\n`);
  const loop =
    'n=0; while read -r line; do n=$((n+1)); ipvsadm $line || { echo "rule $n failed: $line" >&2; exit 1; }; done';
  const r = await spawnRunner('/bin/bash', ['-c', loop], rules.join(''));
  if (r.status !== 0) throw new Error(`bench/ipvs-guest: ipvsadm per operation: ${r.stderr.trim()}`);
}

async function ipvsadmRestore(o: Options): Promise<void> {
  const lines = Array.from({ length: o.services }, (_, i) => ipvsadmRules(i, o.dests))
    .flat()
    .map((r) => `${r.join(' ')}\n`);
  await ipvsadm.restore(lines.join(''));
}

async function main(): Promise<void> {
  if (!existsSync('/proc/net/ip_vs')) {
    console.error(
      'bench/ipvs-guest: this kernel has no IPVS; run it in the guest: scripts/guest/run -- npx tsx bench/ipvs-guest.ts',
    );
    process.exitCode = 1;
    return;
  }
  const o = parseArgs(process.argv.slice(2));
  const ops = o.services * (1 + o.dests);
  const kernel = (await spawnRunner('uname', ['-r'])).stdout.trim();
  const ipvs = await openIpvs();
  try {
    const a1 = await median3(() => measure('client, concurrent', o, () => clientConcurrent(ipvs, o)));
    const a2 = await median3(() => measure('client, sequential', o, () => clientSequential(ipvs, o)));
    const sampleServices = o.full ? o.services : Math.min(o.services, 10);
    const bSample = await measure('ipvsadm per operation', { services: sampleServices, dests: o.dests }, () =>
      ipvsadmPerOperation(sampleServices, o.dests),
    );
    const b = bSample * (o.services / sampleServices);
    const c = await median3(() => measure('ipvsadm -R', o, () => ipvsadmRestore(o)));
    await ipvsadm.clear();

    const bNote = o.full
      ? ''
      : ` (measured on ${sampleServices} services, ${sampleServices * (1 + o.dests)} processes, scaled ×${o.services / sampleServices})`;
    const row = (m: string, procs: string, ms: number, note = ''): string =>
      `| ${m} | ${procs} | ${(ms / 1000).toFixed(2)} s${note} | ${((ms * 1000) / ops).toFixed(0)} µs | ${(ms / a1).toFixed(1)}× |`;
    console.log(
      `\nIPVS programming, ${o.services} services × ${o.dests} destinations = ${ops} operations; kernel ${kernel} (guest), node ${process.version}\n`,
    );
    console.log('| method | processes | time | per operation | vs (a) concurrent |');
    console.log('|---|---|---|---|---|');
    console.log(row('(a) netlink client, all operations issued at once (median of 3)', '0', a1));
    console.log(row('(a) netlink client, one operation at a time (median of 3)', '0', a2));
    console.log(row('(b) one `ipvsadm` process per operation (Perl ldirectord)', String(ops), b, bNote));
    console.log(row('(c) one `ipvsadm -R` batch (median of 3)', '1', c));
    console.log(
      `\n(b) / (a) concurrent = ${(b / a1).toFixed(0)}×; (b) / (a) one at a time = ${(b / a2).toFixed(0)}×; target ≥ 50×`,
    );
  } finally {
    await ipvs.close();
  }
}

main().catch((e: unknown) => {
  console.error(`bench/ipvs-guest: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
