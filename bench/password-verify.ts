// What one Basic-auth login costs the director with a statususers file, and what a hostile file can make it
// cost (target: no line may make a login cost more than the default parameters do, far below a second).
// Run: npx tsx bench/password-verify.ts
// Lines are made by the same code as `ldirectord passwd`; the dearest lines the parser accepts have the
// default's cost N·r·p = 2^17 spread differently; a hostile line (ln=99, N = 2^99) must be refused at parse time.

import { performance } from 'node:perf_hooks';
import { randomBytes, scryptSync } from 'node:crypto';
import { hashPassword, parseUsers, verifyUser, type UserTable } from '../src/observe/http/users';

const RUNS = 7;

function line(user: string, password: string, ln: number, r: number, p: number): string {
  const salt = randomBytes(16);
  const n = 2 ** ln;
  const hash = scryptSync(password, salt, 32, { N: n, r, p, maxmem: 128 * r * (n + p + 2) + 1024 * 1024 });
  const b64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');
  return `${user}:$scrypt$ln=${ln},r=${r},p=${p}$${b64(salt)}$${b64(hash)}`;
}

async function median(f: () => Promise<unknown>): Promise<number> {
  await f(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await f();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

async function main(): Promise<void> {
  const legacySalt = randomBytes(16);
  const legacyHash = scryptSync('pw', legacySalt, 32, { N: 16384, r: 8, p: 1 });
  const text = [
    await hashPassword('default', 'pw'),
    `legacy:scrypt:16384:8:1:${legacySalt.toString('base64')}:${legacyHash.toString('base64')}`,
    line('wide-r', 'pw', 12, 32, 1),
    line('wide-p', 'pw', 13, 8, 2),
  ].join('\n');
  const users: UserTable = parseUsers(text, 'bench');
  const rows: [string, string][] = [];
  for (const [name, user, pw] of [
    ['PHC default (ln=14,r=8,p=1), right password', 'default', 'pw'],
    ['PHC default, wrong password', 'default', 'nope'],
    ['older form N=16384,r=8,p=1', 'legacy', 'pw'],
    ['dearest accepted: ln=12,r=32,p=1', 'wide-r', 'pw'],
    ['dearest accepted: ln=13,r=8,p=2', 'wide-p', 'pw'],
    ['unknown user (costs the default)', 'mallory', 'pw'],
  ] as const) {
    rows.push([name, (await median(() => verifyUser(users, user, pw))).toFixed(1)]);
  }
  const hostile = `# ok\nmallory:$scrypt$ln=99,r=32,p=16$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA\n`;
  rows.push([
    'hostile line ln=99,r=32,p=16: refused at parse (file:line)',
    (
      await median(async () => {
        try {
          parseUsers(hostile, 'hostile');
        } catch {
          return;
        }
        throw new Error('hostile file accepted');
      })
    ).toFixed(3),
  ]);
  const width = Math.max(...rows.map(([n]) => n.length));
  process.stdout.write(`${'case'.padEnd(width)}  median ms (of ${RUNS})\n`);
  for (const [n, ms] of rows) process.stdout.write(`${n.padEnd(width)}  ${ms.padStart(9)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`password-verify: ${String(e)}\n`);
  process.exitCode = 1;
});
