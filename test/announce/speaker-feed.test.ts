// The daemon's feed (server.ts) and the process ExaBGP runs (exabgp-process.ts runSpeakerFeed) over a real
// unix socket, with fake clocks for the heartbeat, the silence limit and the reconnect delay.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runSpeakerFeed, type SpeakerFeed } from '../../src/announce/exabgp-process';
import { openFeedServer, type FeedServer } from '../../src/announce/server';
import { createFakeClock } from '../support/fake-clock';
import { until } from '../support/until';

let dir: string;
let feed: SpeakerFeed | undefined;
let server: FeedServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'announce-'));
});
afterEach(async () => {
  feed?.stop();
  feed = undefined;
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function speaker(socket: string, silenceMs = 3000) {
  const clock = createFakeClock();
  const lines: string[] = [];
  const logs: string[] = [];
  feed = runSpeakerFeed({ socket, silenceMs, clock, write: (l) => lines.push(l), log: (m) => logs.push(m) });
  const saw = (line: string) =>
    until(`the speaker to write "${line}"`, () => (lines.includes(line) ? true : undefined), 20_000);
  return { clock, lines, logs, saw };
}

describe('feed server ↔ speaker process', () => {
  it('announces what the daemon publishes and withdraws it all when the daemon closes the feed', async () => {
    const socket = path.join(dir, 'a.sock');
    server = await openFeedServer({ path: socket, clock: createFakeClock(), onError: () => undefined });
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    const s = speaker(socket);
    await until('the speaker to connect', () => (server!.clients() === 1 ? true : undefined), 20_000);
    server.publish({ routes: ['10.0.0.1/32', '10.0.0.2/32'], nexthop: 'self' });
    await s.saw('announce route 10.0.0.2/32 next-hop self');
    server.publish({ routes: ['10.0.0.2/32'], nexthop: 'self' });
    await s.saw('withdraw route 10.0.0.1/32 next-hop self');
    await server.close();
    server = undefined;
    await s.saw('withdraw route 10.0.0.2/32 next-hop self');
    expect(s.lines).toEqual([
      'announce route 10.0.0.1/32 next-hop self',
      'announce route 10.0.0.2/32 next-hop self',
      'withdraw route 10.0.0.1/32 next-hop self',
      'withdraw route 10.0.0.2/32 next-hop self',
    ]);
  });

  it('withdraws at once when the daemon vanishes without a word (its socket closed by the kernel)', async () => {
    const socket = path.join(dir, 'b.sock');
    const peers: Socket[] = [];
    const dead: Server = createServer((c) => {
      peers.push(c);
      c.write('{"routes":["10.0.0.7/32"],"nexthop":"192.0.2.1"}\n');
    });
    await new Promise<void>((r) => dead.listen(socket, r));
    const s = speaker(socket);
    await s.saw('announce route 10.0.0.7/32 next-hop 192.0.2.1');
    for (const p of peers) p.destroy();
    await new Promise<void>((r) => dead.close(() => r()));
    await s.saw('withdraw route 10.0.0.7/32 next-hop 192.0.2.1');
    expect(s.logs.join('\n')).toContain('the daemon closed the connection');
  });

  it('withdraws when the daemon stays silent too long, and takes the state again when it reconnects', async () => {
    const socket = path.join(dir, 'c.sock');
    server = await openFeedServer({ path: socket, clock: createFakeClock(), onError: () => undefined });
    server.publish({ routes: ['10.0.0.9/32'], nexthop: 'self' });
    const s = speaker(socket, 3000);
    await s.saw('announce route 10.0.0.9/32 next-hop self');
    s.clock.advance(2999);
    expect(s.lines).toEqual(['announce route 10.0.0.9/32 next-hop self']);
    s.clock.advance(1);
    expect(s.lines).toEqual(['announce route 10.0.0.9/32 next-hop self', 'withdraw route 10.0.0.9/32 next-hop self']);
    expect(s.logs).toEqual(['withdrawing 1 route(s): no word from the daemon for 3000 ms']);
    s.clock.advance(1000); // the reconnect delay; the server sends its last state to a new client at once
    await until('the speaker to announce again', () => (s.lines.length === 3 ? true : undefined), 20_000);
    expect(s.lines[2]).toBe('announce route 10.0.0.9/32 next-hop self');
  });

  it('keeps nothing announced while the socket is missing, and refuses to replace a file that is not a socket', async () => {
    const s = speaker(path.join(dir, 'missing.sock'));
    s.clock.advance(5000);
    expect(s.lines).toEqual([]);
    const file = path.join(dir, 'plain');
    writeFileSync(file, 'x');
    await expect(openFeedServer({ path: file, clock: createFakeClock(), onError: () => undefined })).rejects.toThrow(
      `announcesocket ${file}: exists and is not a socket`,
    );
  });

  it('replaces a socket left by a director that died, and never one that a live director serves', async () => {
    const socket = path.join(dir, 'b.sock');
    // a process that listens and is SIGKILL'd: its socket file stays, nobody accepts on it
    const child = spawn(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => process.stdout.write('up'))`,
    ]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    try {
      // while it lives: refused, and its socket is left in place
      await expect(
        openFeedServer({ path: socket, clock: createFakeClock(), onError: () => undefined }),
      ).rejects.toThrow(`announcesocket ${socket}: another process is serving it`);
      expect(statSync(socket).isSocket()).toBe(true);
    } finally {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
    expect(statSync(socket).isSocket()).toBe(true); // left behind
    server = await openFeedServer({ path: socket, clock: createFakeClock(), onError: () => undefined });
    const s = speaker(socket);
    server.publish({ routes: ['10.0.0.7/32'], nexthop: 'self' });
    await s.saw('announce route 10.0.0.7/32 next-hop self');
  });
});
