// The daemon's composition root with the real director, the real health pool and the in-memory IPVS table;
// targets come from a small test function (forced up/down, so no check runs). Checks that the first pass is
// reported to the alert hub, that stop purges and reports, and the target-id → monitor event mapping.

import { createServerEvents, type ServerChange } from '../../src/daemon/alerts/events';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import { createMonitorFileWriter } from '../../src/daemon/monitorfile';
import { checkEventOf, directorStarter, targetIndexer } from '../../src/daemon/process/director-starter';
import { systemHostParts } from '../../src/daemon/process/system';
import { readLines, waitFor, waitForLine } from './support/wait';
import type { CheckSpec, PoolTarget } from '../../src/health/types';
import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import type { Config, DaemonState } from '../../src/model/config';
import { realTargetId } from '../../src/reconcile/desired';
import { createFakeClock, WALL_CLOCK_START } from '../support/fake-clock';
import { memoryLogger } from './support/memory-logger';
import { configFrom } from './support/virtuals';

function targetsOf(down: ReadonlySet<string>) {
  return (c: Config): PoolTarget[] =>
    c.virtuals.flatMap((v) =>
      v.reals.map((r) => {
        const spec: CheckSpec = {
          checktype: v.checktype,
          service: v.service,
          protocol: v.protocol,
          family: r.family,
          address: r.address,
          port: r.port,
          realPort: r.port,
          virtualAddress: v.address,
          virtualPort: v.port,
          request: v.request,
          receive: v.receive,
          httpmethod: v.httpmethod,
          login: v.login,
          passwd: v.passwd,
          database: v.database,
          secret: v.secret,
          checkcommand: v.checkcommand,
          checktimeout: v.checktimeout,
          negotiatetimeout: v.negotiatetimeout,
          checkcount: v.checkcount,
          tlsVerify: false,
        };
        const id = realTargetId(v, r);
        return { id, spec, intervalMs: 1000, failurecount: 1, successcount: 1, forced: down.has(id) ? 'down' : 'up' };
      }),
    );
}

/** These directors read no status or overrides file: any read or write is a test failure. */
const refuse = (): Promise<never> => Promise.reject(new Error('director-starter.test: no file access expected'));
const NO_FILES = {
  readFile: refuse,
  overridesFs: { readFile: refuse, writeFile: refuse, rename: refuse, syncDir: refuse, unlink: refuse },
};

const CF =
  'checkinterval=1\nlogfile="/dev/null"\nvirtual=127.0.0.1:8080\n\treal=127.0.0.2:8080 masq\n\treal=127.0.0.3:8080 masq\n\tchecktype=on\n';

describe('directorStarter (real director, memory IPVS)', () => {
  it('programs the table, reports the first pass to the hub, purges and reports on stop', async () => {
    const config = await configFrom(CF);
    const ipvs = createMemoryIpvs();
    const events = createServerEvents();
    const changes: string[] = [];
    events.onServerChange((c: ServerChange) => changes.push(`${c.kind} ${c.server.address} ${c.message}`));
    const state: DaemonState = 'starting';
    const factory = directorStarter({
      ipvs: async () => ipvs,
      targets: targetsOf(new Set(['tcp:127.0.0.1:8080|127.0.0.3:8080'])),
      clock: createFakeClock({ start: WALL_CLOCK_START }),
      spawn: async () => ({ code: 0, signal: null }),
      ...NO_FILES,
    });
    const director = await factory({ config, dryRun: true, logger: memoryLogger(), state: () => state, events });
    const services = await ipvs.listServices();
    expect(services.map((s) => ('port' in s ? s.port : 0))).toEqual([8080]);
    const dests = await ipvs.listDests(services[0]!);
    expect(dests.map((d) => d.address)).toEqual(['127.0.0.2']);
    expect(changes).toEqual(['added 127.0.0.2 Added real server: 127.0.0.2:8080 (127.0.0.1:8080) (Weight set to 1)']);
    await director.stop();
    expect(changes.slice(1)).toEqual(['purged 127.0.0.2 Purged real server (stop): 127.0.0.2:8080 (127.0.0.1:8080)']);
  });

  it('a failing IPVS open fails the start with its error', async () => {
    const factory = directorStarter({
      ipvs: async () => {
        throw Object.assign(new Error('IPVS is not available in this kernel'), { code: 'IPVS_UNAVAILABLE' });
      },
      targets: targetsOf(new Set()),
      clock: createFakeClock({ start: WALL_CLOCK_START }),
      spawn: async () => ({ code: 0, signal: null }),
      ...NO_FILES,
    });
    await expect(
      factory({
        config: await configFrom(CF),
        dryRun: false,
        logger: memoryLogger(),
        state: () => 'starting',
        events: createServerEvents(),
      }),
    ).rejects.toMatchObject({ code: 'IPVS_UNAVAILABLE' });
  });

  it('maps a pool target id to the monitor event of its virtual and real', async () => {
    const config = await configFrom(CF);
    const v = config.virtuals[0]!;
    const index = targetIndexer();
    const e = checkEventOf(
      'tcp:127.0.0.1:8080|127.0.0.3:8080',
      { ok: false, reason: 'refused', durationMs: 1 },
      config,
      index,
    );
    expect(e).toEqual({ virtuals: [v], real: v.reals[1], ok: false, reason: 'refused' });
    expect(
      checkEventOf('tcp:127.0.0.1:9999|127.0.0.3:8080', { ok: true, reason: '', durationMs: 1 }, config, index),
    ).toBeUndefined();
  });
});

describe('monitorfile end to end (real pool, real connect checks on loopback)', () => {
  it('writes one line per check result for each real, up and down', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const open = (server.address() as net.AddressInfo).port;
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const config = await configFrom(
      [
        'checkinterval=1',
        'checktimeout=2',
        'statusaddress=none',
        'logfile="/dev/null"',
        'virtual=127.0.0.1:80',
        `\treal=127.0.0.1:${open} masq`,
        `\treal=127.0.0.1:${closedPort} masq`,
        '\tchecktype=connect',
        '\tmonitorfile=@DIR@/monitor.log',
        '',
      ].join('\n'),
    );
    const file = config.virtuals[0]!.monitorfile!;
    const events = createServerEvents();
    const monitor = createMonitorFileWriter({
      appendFile: (f, d) => fs.appendFile(f, d),
      now: () => Date.now(),
      pid: process.pid,
      logger: memoryLogger(),
    });
    monitor.attach(events);
    const parts = { ...systemHostParts(), ipvs: async () => createMemoryIpvs() };
    const director = await directorStarter(parts)({
      config,
      dryRun: true,
      logger: memoryLogger(),
      state: () => 'running',
      events,
    });
    try {
      await waitForLine(file, new RegExp(`connect http tcp 127\\.0\\.0\\.1 ${open} 1 masq / \\[up\\] `));
      await waitForLine(file, new RegExp(`connect http tcp 127\\.0\\.0\\.1 ${closedPort} 1 masq / \\[down\\] `));
    } finally {
      await director.stop();
      server.close();
    }
    for (const line of readLines(file))
      expect(line).toMatch(
        /^\[\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\] \[\d+\] connect http tcp 127\.0\.0\.1 \d+ 1 masq \/ \[(up|down)\] \S/,
      );
  });
});

describe('the log tells each step of a return (real pool, real connect checks on loopback)', () => {
  it('logs every successcount step naming the real server and the virtual, then the transition', async () => {
    // A port with nothing listening: the real's first check fails, it is down.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const config = await configFrom(
      [
        'checkinterval=1',
        'checktimeout=2',
        'successcount=3',
        'statusaddress=none',
        'logfile="/dev/null"',
        'virtual=127.0.0.1:80',
        `\treal=127.0.0.1:${port} masq`,
        '\tchecktype=connect',
        '',
      ].join('\n'),
    );
    const logger = memoryLogger();
    const parts = { ...systemHostParts(), ipvs: async () => createMemoryIpvs() };
    const events = createServerEvents();
    let failed = false;
    events.onCheckResult((e) => {
      if (!e.ok) failed = true;
    });
    const director = await directorStarter(parts)({ config, dryRun: true, logger, state: () => 'running', events });
    const server = net.createServer((s) => s.end());
    const who = `127.0.0.1:${port} (tcp:127.0.0.1:80)`;
    const added = `info: Added real server: 127.0.0.1:${port} (127.0.0.1:80) (Weight set to 1)`;
    try {
      // Only once its first check has failed does the server come back.
      await waitFor('a failed check', () => failed);
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
      await waitFor('the real server added', () => logger.lines.includes(added), undefined, 60_000);
    } finally {
      await director.stop();
      server.close();
    }
    const story = logger.lines.filter(
      (l) => l.includes(`127.0.0.1:${port}`) && !l.includes('dry-run') && !l.includes('Purged'),
    );
    expect(story.slice(-3)).toEqual([
      `info: Soft success real server: ${who} success 1/3`,
      `info: Soft success real server: ${who} success 2/3`,
      added,
    ]);
  });
});

describe('the host is told when the director has started', () => {
  it('calls started() once, after the start-up pass has programmed the table (the running heap flags wait for it)', async () => {
    const config = await configFrom(
      [
        'checkinterval=1',
        'statusaddress=none',
        'logfile="/dev/null"',
        'addbeforecheck=yes',
        'virtual=127.0.0.1:80',
        '\treal=127.0.0.2:80 masq',
        '\tchecktype=off',
        '',
      ].join('\n'),
    );
    const ipvs = createMemoryIpvs();
    const seen: string[][] = [];
    const parts = {
      ...systemHostParts(),
      ipvs: async () => ipvs,
      started: () => void seen.push(ipvs.log.since(0).map((r) => r.operation)),
    };
    const director = await directorStarter(parts)({
      config,
      dryRun: false,
      logger: memoryLogger(),
      state: () => 'running',
      events: createServerEvents(),
    });
    try {
      expect(seen).toEqual([expect.arrayContaining(['add-service', 'add-dest'])]);
    } finally {
      await director.stop();
    }
  });
});
