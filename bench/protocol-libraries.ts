// What a maintained client library for the line-protocol checks would cost the daemon to load (decision 016):
// per library, a fresh node process requires it and reports the wall time of the require, the files it loaded
// and its RSS half a second later, against node alone. The libraries are not the project's dependencies:
// install them elsewhere and point LIBS_DIR at that node_modules.
//
//   mkdir /tmp/libeval && (cd /tmp/libeval && npm init -y && npm install imapflow basic-ftp node-pop3 sip)
//   LIBS_DIR=/tmp/libeval/node_modules npx tsx bench/protocol-libraries.ts
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadCost } from './support/load-cost';

const LIBS = ['imapflow', 'basic-ftp', 'node-pop3', 'sip'] as const;

function main(): void {
  const dir = process.env.LIBS_DIR;
  if (dir === undefined || !existsSync(dir)) throw new Error('LIBS_DIR must name a node_modules with the libraries');
  const base = loadCost([]).rssMiB;
  console.log(
    `node ${process.version}, load average ${loadavg()[0]?.toFixed(1)}; median of 3; node alone ${base.toFixed(1)} MiB`,
  );
  console.log('| library | require ms | files loaded | RSS added MiB |');
  console.log('|---|---:|---:|---:|');
  for (const lib of LIBS) {
    const c = loadCost([join(dir, lib)]);
    console.log(`| ${lib} | ${c.loadMs.toFixed(0)} | ${c.files} | ${(c.rssMiB - base).toFixed(1)} |`);
  }
}

main();
