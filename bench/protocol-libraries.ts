// What a maintained client library for the line-protocol checks would cost the daemon to load (decision 016):
// per library, a fresh node process requires it and reports the wall time of the require, the files it loaded
// and its RSS half a second later, against node alone. The libraries are not the project's dependencies:
// install them elsewhere and point LIBS_DIR at that node_modules.
//
//   mkdir /tmp/libeval && (cd /tmp/libeval && npm init -y && npm install imapflow basic-ftp node-pop3 sip)
//   LIBS_DIR=/tmp/libeval/node_modules npx tsx bench/protocol-libraries.ts
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const LIBS = ['imapflow', 'basic-ftp', 'node-pop3', 'sip'] as const;

interface Cost {
  readonly loadMs: number;
  readonly files: number;
  readonly rssMiB: number;
}

function cost(module: string | undefined): Cost {
  const script =
    `const t0 = process.hrtime.bigint(); const n0 = Object.keys(require.cache).length;` +
    (module === undefined ? '' : `require(${JSON.stringify(module)});`) +
    `const loadMs = Number(process.hrtime.bigint() - t0) / 1e6; const files = Object.keys(require.cache).length - n0;` +
    `setTimeout(() => { const s = require('fs').readFileSync('/proc/self/status', 'utf8');` +
    `process.stdout.write(JSON.stringify({ loadMs, files, rssMiB: Number(/VmRSS:\\s+(\\d+)/.exec(s)[1]) / 1024 })); }, 500);`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as Cost;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  const dir = process.env.LIBS_DIR;
  if (dir === undefined || !existsSync(dir)) throw new Error('LIBS_DIR must name a node_modules with the libraries');
  const base = median([0, 1, 2].map(() => cost(undefined).rssMiB));
  console.log(
    `node ${process.version}, load average ${loadavg()[0]?.toFixed(1)}; median of 3; node alone ${base.toFixed(1)} MiB`,
  );
  console.log('| library | require ms | files loaded | RSS added MiB |');
  console.log('|---|---:|---:|---:|');
  for (const lib of LIBS) {
    const runs = [0, 1, 2].map(() => cost(join(dir, lib)));
    const row = {
      loadMs: median(runs.map((r) => r.loadMs)),
      files: median(runs.map((r) => r.files)),
      rss: median(runs.map((r) => r.rssMiB)) - base,
    };
    console.log(`| ${lib} | ${row.loadMs.toFixed(0)} | ${row.files} | ${row.rss.toFixed(1)} |`);
  }
}

main();
