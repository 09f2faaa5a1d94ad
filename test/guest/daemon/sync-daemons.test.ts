// The connection-sync daemons as part of the director's desired state, in the guest kernel, with
// `ipvsadm -L --daemon` as the witness: started at start, changed on reload, restored after an external
// `ipvsadm --stop-daemon`, left running (syncdaemonstop=no) or stopped (yes) at stop; a missing interface is
// logged as the kernel's ENODEV while the checks carry on.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { DirectorProcess } from './support/director-process';
import { ipvsadm } from './support/witness';

const DIR = '/tmp/ld-sync';
const CFG = `${DIR}/ldirectord.cf`;
const PORT = 18480;
const V = `10.99.0.1:${PORT}`;

/** `ipvsadm -L --daemon` as `role:interface:syncid`, in its order (master first). */
function witness(): string[] {
  const out = execFileSync('ipvsadm', ['-L', '--daemon'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  return out.split('\n').flatMap((l) => {
    const m = /^(master|backup) sync daemon \(mcast=([^,]+), syncid=(\d+)/.exec(l.trim());
    return m ? [`${m[1]}:${m[2]}:${m[3]}`] : [];
  });
}

function writeConfig(sync: { mode: string; iface: string; id: number; stop?: boolean }): void {
  fs.writeFileSync(
    CFG,
    [
      'checkinterval=1',
      'checktimeout=1',
      'resyncinterval=1',
      'cleanstop=yes',
      `syncdaemon=${sync.mode}`,
      `syncinterface=${sync.iface}`,
      `syncid=${sync.id}`,
      `syncdaemonstop=${sync.stop ? 'yes' : 'no'}`,
      `virtual=${V}`,
      `\treal=127.0.0.1:${PORT} gate 1`,
      '\tchecktype=connect',
      '',
    ].join('\n'),
  );
}

function stopAll(): void {
  for (const role of ['master', 'backup']) {
    try {
      ipvsadm('--stop-daemon', role);
    } catch {
      // not running
    }
  }
}

/** Re-reads the witness after every director event or log line until it shows `want`. */
async function witnessShows(d: DirectorProcess, want: string[]): Promise<void> {
  await d.until(`ipvsadm -L --daemon = ${want.join(' ')}`, () => JSON.stringify(witness()) === JSON.stringify(want));
}

async function stopDirector(d: DirectorProcess): Promise<void> {
  d.signal('SIGTERM');
  await d.exited;
}

describe('sync daemons kept by the director (guest kernel, ipvsadm witness)', () => {
  let server: net.Server;
  const directors: DirectorProcess[] = [];
  const director = (): DirectorProcess => {
    const d = new DirectorProcess(CFG);
    directors.push(d);
    return d;
  };

  // A failed step must not leave its director running into the next test (two directors would fight).
  afterEach(async () => {
    for (const d of directors.splice(0)) {
      d.signal('SIGKILL');
      await d.exited;
    }
    stopAll();
    try {
      ipvsadm('-D', '-t', V);
    } catch {
      // gone
    }
  });

  beforeAll(async () => {
    fs.mkdirSync(DIR, { recursive: true });
    stopAll();
    server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(PORT, '127.0.0.1', r));
  });

  afterAll(async () => {
    stopAll();
    try {
      ipvsadm('-D', '-t', V);
    } catch {
      // gone
    }
    await new Promise((r) => server.close(r));
  });

  test('start, reload change, external stop restored, left running at stop (syncdaemonstop=no)', async () => {
    writeConfig({ mode: 'both', iface: 'lo', id: 7 });
    const d = director();
    await d.event((e) => e.type === 'started');
    expect(witness()).toEqual(['master:lo:7', 'backup:lo:7']);
    expect(d.logs).toContain('sync daemon: start master sync daemon on lo syncid 7 (start)');

    writeConfig({ mode: 'both', iface: 'lo', id: 9 });
    const from = d.events.length;
    d.signal('SIGHUP');
    await d.event((e) => e.type === 'reloaded', from);
    expect(witness()).toEqual(['master:lo:9', 'backup:lo:9']);

    // The director may restore it before the witness's own fork finishes (resyncinterval=1): its log line is
    // the proof that the stop happened and was repaired by a resync.
    ipvsadm('--stop-daemon', 'backup');
    await d.log(/^sync daemon: start backup sync daemon on lo syncid 9 \(resync\)$/);
    await witnessShows(d, ['master:lo:9', 'backup:lo:9']);
    expect(d.logs).toContain('sync daemon: start backup sync daemon on lo syncid 9 (resync)');

    await stopDirector(d);
    expect(witness()).toEqual(['master:lo:9', 'backup:lo:9']);
    expect(d.logs.some((l) => l.startsWith('sync daemon: left running at stop (syncdaemonstop=no)'))).toBe(true);
    stopAll();
  }, 300_000); // five director steps; each costs 15-40 s in the uniprocessor guest

  test('syncdaemonstop=yes: the director stops the daemons it kept', async () => {
    writeConfig({ mode: 'backup', iface: 'lo', id: 3, stop: true });
    const d = director();
    await d.event((e) => e.type === 'started');
    expect(witness()).toEqual(['backup:lo:3']);
    await stopDirector(d);
    expect(witness()).toEqual([]);
  });

  test('a missing interface: ENODEV logged (again at each resync), no daemon, and the checks carry on', async () => {
    writeConfig({ mode: 'both', iface: 'nosuch0', id: 7 });
    const d = director();
    await d.event((e) => e.type === 'started');
    await d.log(/^sync daemon: start master sync daemon on nosuch0 syncid 7 failed \(start\): .*ENODEV/);
    await d.log(/^Added real server: 127\.0\.0\.1:18480 /);
    await d.log(/^sync daemon: start master sync daemon on nosuch0 syncid 7 failed \(resync\): .*ENODEV/);
    expect(witness()).toEqual([]);
    // the checks go on: the real server's listener closes, the director takes it out
    await new Promise((r) => server.close(r));
    await d.log(/^Deleted real server: 127\.0\.0\.1:18480 /);
    server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(PORT, '127.0.0.1', r));
    await stopDirector(d);
  });
});
