// Cost of running an external check command caged (a cgroup v2 per check, docs/decisions/009) against the
// process-group fallback: N sequential runs of a script that exits 0 at once, wall ms per check.
//   npx tsx bench/check-reaping.ts [N]
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCheckCage } from '../src/health/checks/cgroup-cage';
import { createExternalCheck } from '../src/health/checks/external';
import type { CheckSpec } from '../src/health/types';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'ldts-reap-bench-'));
  const cmd = join(dir, 'ok.sh');
  writeFileSync(cmd, '#!/bin/sh\nexit 0\n');
  chmodSync(cmd, 0o755);
  const spec = {
    checktype: { kind: 'external' },
    checkcommand: cmd,
    virtualAddress: '127.0.0.1',
    virtualPort: 80,
    address: '127.0.0.2',
    realPort: 80,
    checktimeout: 5,
  } as unknown as CheckSpec;
  const cage = await findCheckCage();
  const rows: string[] = ['| mode | checks | ms per check |', '|---|---:|---:|'];
  for (const [mode, c] of [
    ['process group only', undefined],
    ['cgroup cage', cage],
  ] as const) {
    if (mode === 'cgroup cage' && c === undefined) {
      rows.push('| cgroup cage | – | no writable cgroup2 here |');
      continue;
    }
    const check = createExternalCheck({ cage: Promise.resolve(c) });
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) {
      const r = await check(spec, new AbortController().signal);
      if (!r.ok) throw new Error(r.reason);
    }
    rows.push(`| ${mode} | ${n} | ${(Number(process.hrtime.bigint() - t0) / 1e6 / n).toFixed(2)} |`);
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${rows.join('\n')}\n`);
}

void main();
