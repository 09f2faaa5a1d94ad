// What a clock read costs where the benchmarks run: the host, or the guest (scripts/guest/run). In the
// user-mode-linux guest there is no fast clock in user space (its vDSO makes the system call), so every
// Date.now(), performance.now() and timer armed (node reads libuv's clock to place it) traps into the guest
// kernel. The figure explains part of what a check costs in the guest beside keepalived (docs/benchmarks.md,
// "Clock reads in the guest").
//
//   npx tsx bench/compare/clock-cost.ts                                     # on the host
//   scripts/guest/run --cpu 0 -- node --import tsx bench/compare/clock-cost.ts   # in the guest
import { hostname } from 'node:os';

const CALLS = Number(process.env.CLOCK_CALLS ?? 20_000);

function perCall(what: string, fn: () => void): [string, number] {
  for (let i = 0; i < 1000; i++) fn(); // warm-up: the same code path, optimised
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) fn();
  const ns = Number(process.hrtime.bigint() - t0) / CALLS;
  return [what, ns];
}

let sink = 0;
const rows = [
  perCall('Date.now()', () => {
    sink += Date.now();
  }),
  perCall('performance.now()', () => {
    sink += performance.now();
  }),
  perCall('process.hrtime.bigint()', () => {
    sink += Number(process.hrtime.bigint() & 1n);
  }),
  perCall('setTimeout + clearTimeout', () => {
    clearTimeout(setTimeout(() => undefined, 10_000));
  }),
  perCall('a plain function call (floor)', () => {
    sink += 1;
  }),
];

console.log(`clock reads on ${hostname()}, ${CALLS} calls each (node ${process.version})`);
console.log('| call | ns per call |');
console.log('|---|---:|');
for (const [what, ns] of rows) console.log(`| ${what} | ${ns.toFixed(0)} |`);
if (sink === -1) console.log(''); // keeps the loops from being optimised away
