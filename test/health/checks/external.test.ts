// external and external-perl checks run real commands; a timed-out command is killed with its whole
// process group, and nothing (child, grandchild, zombie) is left behind.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExternalCheck, createExternalPerlCheck, externalArgs } from '../../../src/health/checks/external';
import { createPingCheck, pingArgs } from '../../../src/health/checks/ping';
import { leakedSince, processGroupMembers, snapshotHandles } from '../../support/leaks';
import { specFor } from '../spec-fixture';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ldts-ext-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const external = createExternalCheck();
const never = () => new AbortController().signal;

test('arguments: VIP VPORT RIP RPORT; fwmark passes the mark and 0; IPv6 bracketed', () => {
  expect(
    externalArgs(specFor({ virtualAddress: '127.0.0.100', virtualPort: 80, address: '127.0.0.5', realPort: 8080 })),
  ).toEqual(['127.0.0.100', '80', '127.0.0.5', '8080']);
  expect(
    externalArgs(specFor({ virtualAddress: undefined, fwmark: 7, virtualPort: 0, address: '127.0.0.5', realPort: 0 })),
  ).toEqual(['7', '0', '127.0.0.5', '0']);
  expect(externalArgs(specFor({ virtualAddress: '::1', virtualPort: 80, address: 'fd00::5', realPort: 80 }))).toEqual([
    '[::1]',
    '80',
    '[fd00::5]',
    '80',
  ]);
});

test('exit 0 is up and the command receives the four arguments without a shell', async () => {
  const out = join(dir, 'args.txt');
  const cmd = script('ok.sh', `printf '%s|' "$@" > ${out}; exit 0`);
  const spec = specFor({
    checktype: { kind: 'external' },
    checkcommand: cmd,
    virtualAddress: '127.0.0.100',
    virtualPort: 80,
    address: '127.0.0.5',
    realPort: 81,
  });
  const r = await external(spec, never());
  expect(r).toMatchObject({ ok: true, reason: `external ${cmd} 127.0.0.100 80 127.0.0.5 81: exit status 0` });
  expect(readFileSync(out, 'utf8')).toBe('127.0.0.100|80|127.0.0.5|81|');
});

test('a non-zero exit is down, with the last line the command printed', async () => {
  const cmd = script('bad.sh', 'echo "backend says no" >&2; exit 3');
  const r = await external(specFor({ checktype: { kind: 'external' }, checkcommand: cmd }), never());
  expect(r.ok).toBe(false);
  expect(r.reason).toMatch(/: exit status 3 \(output: backend says no\)$/);
});

test('a missing command is down with a clear reason; an empty checkcommand too', async () => {
  const r = await external(specFor({ checktype: { kind: 'external' }, checkcommand: join(dir, 'missing') }), never());
  expect(r.ok).toBe(false);
  expect(r.reason).toContain('cannot run: ENOENT');
  expect((await external(specFor({ checktype: { kind: 'external' }, checkcommand: '' }), never())).reason).toContain(
    'no checkcommand configured',
  );
});

test('at the deadline the whole process group is killed, grandchildren included, and reaped', async () => {
  const before = snapshotHandles();
  const ready = join(dir, 'ready');
  const cmd = script('hang.sh', `sleep 1000 & echo $$ > ${ready}.tmp; mv ${ready}.tmp ${ready}; wait`);
  const controller = new AbortController();
  const watcher = watch(dir, (_e, name) => {
    if (name === 'ready') controller.abort();
  });
  const r = await external(
    specFor({ checktype: { kind: 'external' }, checkcommand: cmd, checktimeout: 1 }),
    controller.signal,
  );
  watcher.close();
  expect(r.ok).toBe(false);
  expect(r.reason).toBe(`external ${cmd} 127.0.0.100 80 127.0.0.1 80: timed out after 1 s, its processes killed`);
  const pgid = Number(readFileSync(ready, 'utf8'));
  expect(processGroupMembers(pgid)).toEqual([]); // the backgrounded sleep died with its group
  expect(await leakedSince(before)).toEqual([]);
});

test('external-perl runs the file through perl with the same arguments', async () => {
  const good = join(dir, 'check.pl');
  writeFileSync(good, 'exit($ARGV[2] eq "127.0.0.5" ? 0 : 1);\n');
  const perl = createExternalPerlCheck();
  const spec = specFor({ checktype: { kind: 'external-perl' }, checkcommand: good, address: '127.0.0.5' });
  expect((await perl(spec, never())).ok).toBe(true);
  const r = await perl({ ...spec, address: '127.0.0.6' }, never());
  expect(r).toMatchObject({ ok: false, reason: `external-perl ${good} 127.0.0.100 80 127.0.0.6 80: exit status 1` });
  const broken = join(dir, 'broken.pl');
  writeFileSync(broken, 'die "no database\\n";\n');
  expect((await perl({ ...spec, checkcommand: broken }, never())).reason).toMatch(
    /exit status 255 \(output: no database\)$/,
  );
});

test('ping: argv for IPv4 and IPv6', () => {
  expect(pingArgs('127.0.0.1', 'inet', 2)).toEqual(['-4', '-n', '-q', '-c', '1', '-W', '2', '127.0.0.1']);
  expect(pingArgs('::1', 'inet6', 0.5)).toEqual(['-6', '-n', '-q', '-c', '1', '-W', '1', '::1']);
});

test('ping: loopback answers over IPv4 and IPv6', async () => {
  const ping = createPingCheck();
  expect(
    await ping(specFor({ checktype: { kind: 'ping' }, address: '127.0.0.1', checktimeout: 2 }), never()),
  ).toMatchObject({ ok: true, reason: 'ping 127.0.0.1: reply (attempt 1/1)' });
  expect(
    (await ping(specFor({ checktype: { kind: 'ping' }, address: '::1', family: 'inet6', checktimeout: 2 }), never()))
      .ok,
  ).toBe(true);
});

test('ping: checkcount attempts, then down', async () => {
  let spawned = 0;
  // A stand-in `ping` that never gets a reply (iputils exits 1), counted per attempt.
  const ping = createPingCheck({
    spawn: (_file, args, options) => {
      spawned += 1;
      return spawn(
        'sh',
        ['-c', 'echo "1 packets transmitted, 0 received, 100% packet loss"; exit 1', 'ping', ...args],
        options,
      );
    },
  });
  const r = await ping(specFor({ checktype: { kind: 'ping' }, address: '127.0.0.1', checkcount: 3 }), never());
  expect(spawned).toBe(3);
  expect(r).toMatchObject({
    ok: false,
    reason: 'ping 127.0.0.1: no reply in 3 attempt(s) (1 packets transmitted, 0 received, 100% packet loss)',
  });
});
