// End to end, in the guest kernel, with real packets: a NAT VIP in front of three HTTP real servers in
// network namespaces, a client streaming new-connection requests through the VIP, the director as a
// process, ipvsadm as the witness. The steps run in order and each starts from the state the previous left.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { DirectorProcess } from './support/director-process';
import {
  buildTopology,
  realAddress,
  startClient,
  startHttpServer,
  teardownTopology,
  VIP,
  type ClientResult,
} from './support/topology';
import { ipvsadm, ipvsadmDests, ipvsadmDestsOrNone } from './support/witness';

const DIR = '/tmp/ld-e2e';
const CFG = `${DIR}/ldirectord.cf`;
const R = [1, 2, 3].map((i) => `${realAddress(i)}:80`);
const V = `${VIP}:80`;

function writeConfig(o: { quiescent?: boolean; cleanstop?: boolean; broken?: boolean } = {}): void {
  const lines = [
    'checkinterval=1',
    // A refused connection (a killed real) fails at once; the timeout only guards healthy reals from a
    // busy guest's slowness, which took one out of the table mid-test with 3 s.
    'checktimeout=10',
    'resyncinterval=2',
    `cleanstop=${o.cleanstop ? 'yes' : 'no'}`,
    `quiescent=${o.quiescent ? 'yes' : 'no'}`,
    `logfile="${DIR}/ldirectord.log"`,
    ...(o.broken ? ['checkinterval=soon'] : []),
    `virtual=${VIP}:80`,
    ...R.map((r) => `\treal=${r} masq 1`),
    `\tfallback=${realAddress(4)}:80 masq`,
    '\tchecktype=negotiate',
    '\tservice=http',
    '\trequest="/"',
    '\treceive="ok"',
    '\tscheduler=rr',
    '',
  ];
  fs.writeFileSync(CFG, lines.join('\n'));
}

const masq = (...addrs: Array<[string, number]>): string[] => addrs.map(([a, w]) => `${a} Masq ${w}`).sort();

describe('director end to end (guest kernel, NAT, real HTTP servers)', () => {
  const servers = new Map<number, ChildProcess>();
  let client: ReturnType<typeof startClient>;
  let director: DirectorProcess;

  const startServer = async (i: number): Promise<void> =>
    void servers.set(i, await startHttpServer(`ldr${i}`, i === 4 ? 'sorry' : `r${i}`));
  const killServer = async (i: number): Promise<void> => {
    const s = servers.get(i)!;
    const gone = new Promise((r) => s.once('exit', r));
    s.kill('SIGKILL');
    await gone;
    servers.delete(i);
  };
  /** The next `n` client results that started after `t`. */
  const resultsAfter = async (t: number, n: number): Promise<ClientResult[]> => {
    const after = (): ClientResult[] => client.results.filter((r) => r.start > t);
    while (after().length < n) await client.waitFor((r) => r.start > t);
    return after().slice(0, n);
  };

  beforeAll(async () => {
    fs.mkdirSync(DIR, { recursive: true });
    teardownTopology();
    buildTopology();
    for (const i of [1, 2, 3, 4]) await startServer(i);
    writeConfig();
    director = new DirectorProcess(CFG);
    await director.event((e) => e.type === 'started');
    client = startClient();
  });

  afterAll(async () => {
    await client?.stop();
    if (director) {
      director.signal('SIGKILL');
      await director.exited;
    }
    for (const s of servers.values()) s.kill('SIGKILL');
    try {
      ipvsadm('-D', '-t', V);
    } catch {
      // already gone
    }
    teardownTopology();
  });

  test('start: the reals enter as their first checks pass and all three serve', async () => {
    for (const r of R) await director.log(new RegExp(`^Added real server: ${r} \\(${V}\\) \\(Weight set to 1\\)$`));
    expect(director.logs[0]).toBe(`Added virtual server: ${V}`);
    expect(ipvsadmDests(VIP, 80)).toEqual(masq([R[0]!, 1], [R[1]!, 1], [R[2]!, 1]));
    const t = Date.now();
    const got = await resultsAfter(t, 9);
    expect(got.filter((r) => !r.ok)).toEqual([]);
    expect(new Set(got.map((r) => r.body))).toEqual(new Set(['r1 ok', 'r2 ok', 'r3 ok']));
  });

  test('a real server killed leaves the table; after that no client error', async () => {
    const killedAt = Date.now();
    await killServer(2);
    await director.log(new RegExp(`^Deleted real server: ${R[1]} \\(${V}\\)$`));
    const removedAt = Date.now();
    console.log(
      `real server removed ${removedAt - killedAt} ms after it was killed (checkinterval 1 s; the refused connection fails at once)`,
    );
    expect(ipvsadmDests(VIP, 80)).toEqual(masq([R[0]!, 1], [R[2]!, 1]));
    const got = await resultsAfter(removedAt, 20);
    expect(got.filter((r) => !r.ok)).toEqual([]);
    expect(got.some((r) => r.body === 'r2 ok')).toBe(false);
  });

  test('all down: the fallback answers; one back: the fallback goes', async () => {
    await killServer(1);
    await killServer(3);
    await director.log(/^Added fallback server: 10\.1\.4\.2:80 \(10\.3\.0\.1:80\) \(Weight set to 1\)$/);
    await director.until(
      'both reals deleted',
      () => director.logs.filter((l) => /^Deleted real server/.test(l)).length === 3,
    );
    expect(ipvsadmDests(VIP, 80)).toEqual(masq(['10.1.4.2:80', 1]));
    let got = await resultsAfter(Date.now(), 10);
    expect(got.map((r) => r.body)).toEqual(Array(10).fill('sorry ok'));

    await startServer(1);
    await director.log(/^Deleted fallback server: 10\.1\.4\.2:80 \(10\.3\.0\.1:80\)$/);
    // make before break: the recovered real entered before the fallback left
    const readded = director.logs.lastIndexOf(`Added real server: ${R[0]} (${V}) (Weight set to 1)`);
    expect(readded).toBeGreaterThan(0);
    expect(readded).toBeLessThan(director.logs.lastIndexOf(`Deleted fallback server: 10.1.4.2:80 (${V})`));
    expect(ipvsadmDests(VIP, 80)).toEqual(masq([R[0]!, 1]));
    got = await resultsAfter(Date.now(), 10);
    expect(got.map((r) => r.body)).toEqual(Array(10).fill('r1 ok'));
  });

  test('quiescent=yes (reload): a failed real stays at weight 0, and gets no new connections', async () => {
    await startServer(2);
    await startServer(3);
    writeConfig({ quiescent: true });
    const from = director.events.length;
    director.signal('SIGHUP');
    await director.event((e) => e.type === 'reloaded', from);
    await director.until('r2 and r3 back', () => (ipvsadmDests(VIP, 80) ?? []).length === 3);
    const mark = director.logs.length;
    await killServer(3);
    await director.log(new RegExp(`^Quiescent real server: ${R[2]} \\(${V}\\) \\(Weight set to 0\\)$`), mark);
    const at = Date.now();
    expect(ipvsadmDests(VIP, 80)).toEqual(masq([R[0]!, 1], [R[1]!, 1], [R[2]!, 0]));
    const got = await resultsAfter(at, 20);
    expect(got.filter((r) => !r.ok)).toEqual([]);
  });

  test('SIGKILL and start again with cleanstop=no: zero client errors, no table change', async () => {
    const before = ipvsadmDests(VIP, 80);
    const t0 = Date.now();
    director.signal('SIGKILL');
    await director.exited;
    director = new DirectorProcess(CFG);
    await director.event((e) => e.type === 'started');
    // wait until every real has been checked and a full resync pass has run
    await director.event((e) => e.type === 'pass' && e.phase === 'resync');
    await director.event((e) => e.type === 'pass' && e.phase === 'resync', director.events.length);
    expect(director.events.filter((e) => e.type === 'op-applied' || e.type === 'op-failed')).toEqual([]);
    expect(ipvsadmDests(VIP, 80)).toEqual(before);
    const during = client.results.filter((r) => r.start >= t0);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((r) => !r.ok)).toEqual([]);
  });

  test('reload with a broken config: table and daemon unchanged, the error logged with file:line', async () => {
    const before = ipvsadmDests(VIP, 80);
    writeConfig({ quiescent: true, broken: true });
    const from = director.logs.length;
    director.signal('SIGHUP');
    await director.log(/^Reload of .* rejected: 1 error; the running configuration is unchanged$/, from);
    expect(director.logs.slice(from).some((l) => l.startsWith(`${CFG}:7:`))).toBe(true);
    const ev = director.events.length;
    await director.event((e) => e.type === 'pass' && e.phase === 'resync', ev);
    expect(ipvsadmDests(VIP, 80)).toEqual(before);
    writeConfig({ quiescent: true });
  });

  test('ipvsadm -d behind its back is repaired within the resync interval', async () => {
    const before = ipvsadmDests(VIP, 80);
    const from = director.events.length;
    const logFrom = director.logs.length;
    ipvsadm('-d', '-t', V, '-r', R[0]!); // throws if the dest was not there: the deletion really happened
    // (no intermediate witness read: the resync may already have repaired it by then)
    await director.event((e) => e.type === 'pass' && e.phase === 'resync' && (e.ops ?? 0) > 0, from);
    await director.log(new RegExp(`^Added real server: ${R[0]} \\(${V}\\) \\(Weight set to 1\\)$`), logFrom);
    expect(ipvsadmDests(VIP, 80)).toEqual(before);
    // stdout (events) and stderr (log) are separate pipes: wait for the line rather than assume its order
    await director.log(/^Resync: repaired 1 difference between the IPVS table and the configuration$/);
  });

  test('stop with cleanstop=yes purges the virtual service', async () => {
    writeConfig({ quiescent: true, cleanstop: true });
    const from = director.events.length;
    director.signal('SIGHUP');
    await director.event((e) => e.type === 'reloaded', from);
    director.signal('SIGTERM');
    expect(await director.exited).toBe(0);
    await director.log(new RegExp(`^Purged virtual server \\(stop\\): ${V}$`));
    expect(ipvsadmDestsOrNone(VIP, 80)).toBeUndefined();
  });
});
