// The floor under the daemon's RSS (issue 18 item 2): what a node process holds before it has a single real
// server — node itself, then each npm package the daemon may load, then all of them, then the built daemon's
// own modules (`npm run build` first) as each way of running it loads them. Each row is a fresh `node` process
// that requires the modules and reports its RSS (VmRSS) half a second later; median of 3.
//
//   npx tsx bench/memory/floor.ts
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { loadCost } from '../support/load-cost';

const REPO = resolve(__dirname, '..', '..');
const pkg = (name: string): string => resolve(REPO, 'node_modules', name);
const dist = (file: string): string => resolve(REPO, 'dist', file);
const starter = dist('daemon/process/director-starter.js');
const raw = resolve(REPO, 'node_modules', 'netlink', 'dist', 'raw.js');

const ROWS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['node alone', []],
  ['+ netlink, the whole package', [pkg('netlink')]],
  ['+ netlink/dist/raw (its raw socket: what the IPVS transport loads)', [raw]],
  ['+ prom-client (metrics)', [pkg('prom-client')]],
  ['+ yargs (CLI)', [pkg('yargs')]],
  ['+ yaml (YAML configs)', [pkg('yaml')]],
  ['+ all four (netlink/dist/raw)', [raw, pkg('prom-client'), pkg('yargs'), pkg('yaml')]],
  [
    'detached daemon child: netlink/dist/raw + its start-up modules (no yargs; prom-client at the first scrape)',
    [raw, dist('daemon/process/daemon-main.js'), starter],
  ],
  [
    'foreground daemon (-d, systemd): netlink + the CLI (yargs) + start-up modules',
    [raw, dist('cli/main.js'), starter],
  ],
  [
    'the same after the first /metrics request (+ prom-client)',
    [raw, dist('cli/main.js'), starter, pkg('prom-client')],
  ],
];

function main(): void {
  if (!existsSync(starter)) throw new Error(`${starter} is missing: run npm run build first`);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}, load average ${loadavg()[0]?.toFixed(1)}`);
  console.log('| process | RSS MiB | with --optimize-for-size --max-semi-space-size=1 |');
  console.log('|---|---:|---:|');
  for (const [name, modules] of ROWS) {
    const plain = loadCost(modules).rssMiB;
    const small = loadCost(modules, ['--optimize-for-size', '--max-semi-space-size=1']).rssMiB;
    console.log(`| ${name} | ${plain.toFixed(1)} | ${small.toFixed(1)} |`);
  }
}

main();
