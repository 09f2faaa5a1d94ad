// The cost of one systemd notification as the daemon sends it (docs/decisions/011-systemd.md): a run of
// `systemd-notify` (blocking on its barrier, and --no-block), next to a bare fork+exec of /bin/true, each
// against a real unix datagram socket (test/deployment/fixtures/notify-listener.py).
// Run: npx tsx bench/systemd-notify.ts [runs]

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const RUNS = Number(process.argv[2] ?? 50);
const LISTENER = path.join(__dirname, '..', 'test', 'deployment', 'fixtures', 'notify-listener.py');

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ldd-notify-'));
  const socket = path.join(dir, 'notify.sock');
  const listener = spawn('/usr/bin/python3', [LISTENER, socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => listener.stdout.once('data', () => resolve()));
  const rows: Array<[string, string[]]> = [
    ['/bin/true (fork+exec floor)', ['/bin/true']],
    ['systemd-notify READY=1', ['/usr/bin/systemd-notify', 'READY=1']],
    ['systemd-notify --no-block READY=1', ['/usr/bin/systemd-notify', '--no-block', 'READY=1']],
  ];
  console.log(`| what | runs | ms per message (mean) | ms (max) |`);
  console.log(`|---|---|---|---|`);
  for (const [label, [file = '', ...args]] of rows) {
    let max = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < RUNS; i++) {
      const s = process.hrtime.bigint();
      const r = spawnSync(file, args, { env: { NOTIFY_SOCKET: socket } });
      if (r.status !== 0) throw new Error(`${label}: exit ${r.status}`);
      max = Math.max(max, Number(process.hrtime.bigint() - s) / 1e6);
    }
    const mean = Number(process.hrtime.bigint() - t0) / RUNS / 1e6;
    console.log(`| ${label} | ${RUNS} | ${mean.toFixed(1)} | ${max.toFixed(1)} |`);
  }
  listener.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

void main();
