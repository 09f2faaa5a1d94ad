// Adopting a table the Perl ldirectord built: the table is programmed with the ipvsadm commands the Perl
// ldirectord issues for this config (`-A ... -s wrr`, `-a ... -x 0 -y 0 -r RIP:RPORT -g|-m|-i -w W`, the
// fallback `-a ... -r FALLBACK -g -w 1` when no real server is up), then our director starts on the same config
// and must apply zero operations: the ports, forwarding and weights it wants are exactly what the kernel kept.
//
// The config covers TCP, UDP and firewall-mark virtuals (IPv4 and IPv6), masq/gate/ipip reals with ports that
// differ from the virtual's, and a fallback on a firewall-mark virtual. For TCP/UDP, ipvsadm rewrites the port
// of a gate/ipip real to the virtual's; for a firewall mark it keeps the configured port (`rip:80`), and so
// must we. Checks are `on`/`off` so that health is known at once and no real server daemon is needed.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { until } from '../support/until';

const DIR = '/tmp/ld-perl-adoption';
const CFG = `${DIR}/ldirectord.cf`;

const CONFIG = [
  'checkinterval=1',
  'checktimeout=2',
  'resyncinterval=1',
  'quiescent=no',
  'cleanstop=no',
  'virtual=192.0.2.10:80',
  '\treal=203.0.113.1:8080 masq 2',
  '\treal=203.0.113.2:8080 gate',
  '\treal=203.0.113.3:80 ipip 3',
  '\tchecktype=on',
  '',
  'virtual=192.0.2.11:53',
  '\tprotocol=udp',
  '\treal=203.0.113.4:5353 masq',
  '\treal=203.0.113.5:5353 gate',
  '\tchecktype=on',
  '',
  'virtual=7',
  '\treal=203.0.113.6:80 gate',
  '\treal=203.0.113.7:8081 ipip 2',
  '\treal=203.0.113.8:8080 masq',
  '\treal=203.0.113.9 gate',
  '\tchecktype=on',
  '',
  'virtual=8',
  '\treal=203.0.113.10:80 gate',
  '\tfallback=203.0.113.99:80 gate',
  '\tchecktype=off',
  '',
  'virtual6=9',
  '\treal6=[2001:db8::6]:443 gate',
  '\treal6=[2001:db8::7]:8443 masq',
  '\tchecktype=on',
  '',
].join('\n');

/** What the Perl ldirectord runs for CONFIG on an empty table (ldirectord.in's ipvsadm commands, in order). */
const PERL_COMMANDS: string[][] = [
  ['-A', '-t', '192.0.2.10:80', '-s', 'wrr'],
  ['-a', '-t', '192.0.2.10:80', '-x', '0', '-y', '0', '-r', '203.0.113.1:8080', '-m', '-w', '2'],
  ['-a', '-t', '192.0.2.10:80', '-x', '0', '-y', '0', '-r', '203.0.113.2:8080', '-g', '-w', '1'],
  ['-a', '-t', '192.0.2.10:80', '-x', '0', '-y', '0', '-r', '203.0.113.3:80', '-i', '-w', '3'],
  ['-A', '-u', '192.0.2.11:53', '-s', 'wrr'],
  ['-a', '-u', '192.0.2.11:53', '-x', '0', '-y', '0', '-r', '203.0.113.4:5353', '-m', '-w', '1'],
  ['-a', '-u', '192.0.2.11:53', '-x', '0', '-y', '0', '-r', '203.0.113.5:5353', '-g', '-w', '1'],
  ['-A', '-f', '7', '-s', 'wrr'],
  ['-a', '-f', '7', '-x', '0', '-y', '0', '-r', '203.0.113.6:80', '-g', '-w', '1'],
  ['-a', '-f', '7', '-x', '0', '-y', '0', '-r', '203.0.113.7:8081', '-i', '-w', '2'],
  ['-a', '-f', '7', '-x', '0', '-y', '0', '-r', '203.0.113.8:8080', '-m', '-w', '1'],
  ['-a', '-f', '7', '-x', '0', '-y', '0', '-r', '203.0.113.9:0', '-g', '-w', '1'],
  ['-A', '-f', '8', '-s', 'wrr'],
  ['-a', '-f', '8', '-r', '203.0.113.99:80', '-g', '-w', '1'],
  ['-A', '-f', '9', '-6', '-s', 'wrr'],
  ['-a', '-f', '9', '-6', '-x', '0', '-y', '0', '-r', '[2001:db8::6]:443', '-g', '-w', '1'],
  ['-a', '-f', '9', '-6', '-x', '0', '-y', '0', '-r', '[2001:db8::7]:8443', '-m', '-w', '1'],
];

const saved = (): string => execFileSync('ipvsadm', ['-S', '-n']).toString();
const LD = path.join(__dirname, '..', '..', 'bin', 'ldirectord');

describe('a table built as the Perl ldirectord builds it is adopted with zero operations', () => {
  let daemon: ChildProcess | undefined;
  let log = '';

  beforeAll(() => {
    fs.rmSync(DIR, { recursive: true, force: true });
    fs.mkdirSync(DIR, { recursive: true });
    fs.writeFileSync(CFG, `statusaddress=none\n${CONFIG}`);
    execFileSync('ipvsadm', ['-C']);
    for (const args of PERL_COMMANDS) execFileSync('ipvsadm', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  });

  afterAll(async () => {
    if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
      const gone = new Promise((r) => daemon!.once('close', r));
      daemon.kill('SIGKILL');
      await gone;
    }
    execFileSync('ipvsadm', ['-C']);
  });

  test('the kernel kept the fwmark gate/ipip ports and rewrote the TCP/UDP ones (the premise)', () => {
    const table = saved();
    expect(table).toContain('-a -f 7 -r 203.0.113.6:80 -g -w 1');
    expect(table).toContain('-a -f 7 -r 203.0.113.7:8081 -i -w 2');
    expect(table).toContain('-a -f 8 -r 203.0.113.99:80 -g -w 1');
    expect(table).toContain('-a -t 192.0.2.10:80 -r 203.0.113.2:80 -g -w 1');
    expect(table).toContain('-a -u 192.0.2.11:53 -r 203.0.113.5:53 -g -w 1');
  });

  test('our daemon starts on the same config, settles, and changes nothing', async () => {
    const before = saved();
    // The built daemon in the foreground (-d): its log, with one DEBUG2 line per reconcile pass, on stderr.
    // The guest's environment is clean (no node on PATH): run the entry script with this node.
    const child = spawn(process.execPath, [LD, '-d', CFG, 'start'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('error', (e) => {
      log += `spawn failed: ${e.message}\n`;
    });
    daemon = child;
    child.stdout!.setEncoding('utf8').on('data', (t: string) => {
      log += t;
    });
    child.stderr!.setEncoding('utf8').on('data', (t: string) => {
      log += t;
    });
    const passes = (): string[] =>
      log.split('\n').filter((l) => /reconcile (start|resync|transition): \d+ operation/.test(l));
    // Checks are on/off, so health is known from the start; by the third resync pass (resyncinterval 1 s) the
    // whole table has been compared with the settled health more than once.
    await until(
      'three resync passes',
      async () => {
        if (child.exitCode !== null) throw new Error(`daemon exited ${child.exitCode}:\n${log}`);
        return passes().filter((l) => l.includes('reconcile resync:')).length >= 3 ? true : undefined;
      },
      90_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; the daemon said:\n${log}`);
    });
    expect(passes().filter((l) => !/: 0 operation\(s\), 0 failed/.test(l))).toEqual([]);
    expect(passes().some((l) => l.includes('reconcile start: 0 operation(s), 0 failed'))).toBe(true);
    const changes = log
      .split('\n')
      .filter((l) =>
        /(Added|Changed|Deleted|Purged|Quiescent|Readd|Restored) (real|virtual|fallback)|IPVS .* failed/.test(l),
      );
    expect(changes).toEqual([]);
    expect(saved()).toBe(before);
  });
});
