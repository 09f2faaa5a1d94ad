// Heartbeat-style end to end: the director driven through the ldirectord command (detached daemon, pid file,
// log file) exactly as heartbeat's `ldirectord <cfg> start|reload|stop` would, in the guest kernel with real
// packets. ipvsadm is the witness; the daemon's own log file is followed for its lines.
import { execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLog, waitForLog } from './support/log-file';
import { buildTopology, realAddress, startClient, startHttpServer, teardownTopology, VIP } from './support/topology';
import { ipvsadmDests, ipvsadmDestsOrNone } from './support/witness';

const DIR = '/tmp/ld-cli';
const RUN = `${DIR}/run`;
const CFG = `${DIR}/ldirectord.cf`;
const LOG = `${DIR}/ldirectord.log`;
const LD = path.join(__dirname, '..', '..', 'integration', 'fixtures', 'ldirectord');
const R = [1, 2, 3].map((i) => `${realAddress(i)}:80`);
const V = `${VIP}:80`;

function writeConfig(broken = false): void {
  fs.writeFileSync(
    CFG,
    [
      'checkinterval=1',
      // A refused connection (a killed real) fails at once; the timeout only guards healthy reals from a
      // busy guest's slowness, which took one out of the table mid-test with 3 s.
      'checktimeout=10',
      'cleanstop=yes',
      `logfile="${LOG}"`,
      ...(broken ? ['quiescent=maybe'] : []),
      `virtual=${V}`,
      ...R.map((r) => `\treal=${r} masq 1`),
      `\tfallback=${realAddress(4)}:80 masq`,
      '\tservice=http',
      '\trequest="/"',
      '\treceive="ok"',
      '',
    ].join('\n'),
  );
}

function ld(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(LD, args, { env: { ...process.env, LDIRECTORD_RUN_DIR: RUN } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// The pid file's first line is the pid (a second line holds its start time: docs/compat.md, pid-identity).
const daemonPid = (): number =>
  Number(fs.readFileSync(`${RUN}/ldirectord.ldirectord.cf.pid`, 'utf8').split('\n', 1)[0]!.trim());

describe('heartbeat-style: ldirectord <cfg> start|reload|stop in the guest kernel', () => {
  const servers = new Map<number, ChildProcess>();
  let client: ReturnType<typeof startClient>;

  beforeAll(async () => {
    fs.rmSync(DIR, { recursive: true, force: true });
    fs.mkdirSync(RUN, { recursive: true });
    teardownTopology();
    buildTopology();
    for (const i of [1, 2, 3, 4]) servers.set(i, await startHttpServer(`ldr${i}`, i === 4 ? 'sorry' : `r${i}`));
    writeConfig();
  });

  afterAll(async () => {
    await client?.stop();
    try {
      process.kill(daemonPid(), 'SIGKILL');
    } catch {
      // not running
    }
    for (const s of servers.values()) s.kill('SIGKILL');
    teardownTopology();
  });

  test('start: exit 0, the daemon programs the VIP and adds the reals as their checks pass', async () => {
    const r = await ld(CFG, 'start');
    expect(r).toMatchObject({ code: 0 });
    for (const real of R)
      await waitForLog(LOG, (l) => l.message === `Added real server: ${real} (${V}) (Weight set to 1)`);
    expect(ipvsadmDests(VIP, 80)).toEqual(R.map((x) => `${x} Masq 1`));
    client = startClient();
    await client.waitFor((x) => x.ok);
  });

  test('SIGKILL, then start again: the new daemon adopts the table without one change and no client error', async () => {
    const before = ipvsadmDests(VIP, 80);
    const oldPid = daemonPid();
    const t0 = Date.now();
    process.kill(oldPid, 'SIGKILL');
    const mark = readLog(LOG).length;
    expect(await ld(CFG, 'start')).toMatchObject({ code: 0 });
    expect(daemonPid()).not.toBe(oldPid);
    const adoptedTable = ipvsadmDests(VIP, 80);
    // Prove the new daemon is checking: kill one real and wait for the new daemon to take it out.
    const t1 = Date.now();
    servers.get(2)!.kill('SIGKILL');
    const at = await waitForLog(LOG, (l) => l.message === `Deleted real server: ${R[1]} (${V})`, mark);
    const changesAtAdoption = readLog(LOG)
      .slice(mark, at)
      .filter((l) => /^(Added|Changed|Deleted|Purged|Quiescent|Restored)/.test(l.message));
    expect(changesAtAdoption).toEqual([]);
    expect(adoptedTable).toEqual(before);
    // every request made between the SIGKILL and the (deliberate) kill of r2, start to finish
    const during = client.results.filter((x) => x.start >= t0 && x.end < t1);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((x) => !x.ok)).toEqual([]);
    expect(ipvsadmDests(VIP, 80)).toEqual([R[0], R[2]].map((x) => `${x} Masq 1`));
  });

  test('reload with a broken config: the command fails with the error, the daemon and table are unchanged', async () => {
    const before = ipvsadmDests(VIP, 80);
    writeConfig(true);
    const r = await ld(CFG, 'reload');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${CFG}:5:`);
    expect(ipvsadmDests(VIP, 80)).toEqual(before);
    writeConfig(); // status parses the config too (docs/behaviour.md §1.2), so ask with a good one
    expect((await ld(CFG, 'status')).code).toBe(0);
  });

  test('stop: cleanstop purges the virtual service', async () => {
    const pid = daemonPid();
    expect((await ld(CFG, 'stop')).code).toBe(0);
    await waitForLog(LOG, (l) => l.pid === pid && l.message === `Purged virtual server (stop): ${V}`);
    expect(ipvsadmDestsOrNone(VIP, 80)).toBeUndefined();
  });
});
