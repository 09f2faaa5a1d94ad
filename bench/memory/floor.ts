// The floor under the daemon's RSS (issue 18 item 2): what a node process holds before it has a single real
// server — node itself, then each npm package the daemon always loads, then all of them, then the built
// daemon's own modules (`npm run build` first). Each row is a fresh `node` process that requires the modules
// and reports its RSS (VmRSS) half a second later; median of 3.
//
//   npx tsx bench/memory/floor.ts
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { loadCost } from '../support/load-cost';

const REPO = resolve(__dirname, '..', '..');
const pkg = (name: string): string => resolve(REPO, 'node_modules', name);
const ours = resolve(REPO, 'dist', 'daemon', 'process', 'director-starter.js');

const ROWS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['node alone', []],
  ['+ netlink (IPVS)', [pkg('netlink')]],
  ['+ prom-client (metrics)', [pkg('prom-client')]],
  ['+ yargs (CLI)', [pkg('yargs')]],
  ['+ yaml (YAML configs)', [pkg('yaml')]],
  ['+ all four', [pkg('netlink'), pkg('prom-client'), pkg('yargs'), pkg('yaml')]],
  [
    '+ netlink, prom-client, yargs and the daemon start-up modules (dist/)',
    [pkg('netlink'), pkg('prom-client'), pkg('yargs'), ours],
  ],
];

function main(): void {
  if (!existsSync(ours)) throw new Error(`${ours} is missing: run npm run build first`);
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
