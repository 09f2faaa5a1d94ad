// Act: the process ExaBGP runs through its process API (`process … { run …; encoder text; }`). It holds a
// connection to the daemon's announce socket (feed.ts) and turns each wanted state into ExaBGP commands on its
// stdout (exabgp.ts). When the daemon is gone — the socket closes (the kernel closes it even after SIGKILL),
// fails, or stays silent for FEED_SILENCE_MS — it withdraws every route at once and tries again every
// RETRY_MS. When ExaBGP is gone (stdin ends), it exits; the router's hold timer then drops the routes.
//
//   ldirectord-exabgp [--socket PATH] [--silence-ms N]      (default socket: announcesocket's default)

import { connect, type Socket } from 'node:net';
import type { Clock } from '../health/types';
import { systemClock } from '../health/clock';
import { exabgpStep } from './exabgp';
import { feedDecoder, FEED_SILENCE_MS } from './feed';
import { DEFAULT_ANNOUNCE_SOCKET } from '../model/announce';

const RETRY_MS = 1000;

export interface SpeakerFeedOptions {
  readonly socket: string;
  readonly silenceMs: number;
  readonly clock: Clock;
  /** One command line for ExaBGP (without the newline). */
  readonly write: (line: string) => void;
  /** Diagnostics (ExaBGP logs the process's stderr). */
  readonly log: (message: string) => void;
  readonly connect?: (path: string) => Socket;
}

export interface SpeakerFeed {
  /** Withdraws everything and stops reconnecting. */
  stop(): void;
}

export function runSpeakerFeed(o: SpeakerFeedOptions): SpeakerFeed {
  const open = o.connect ?? ((path: string) => connect(path));
  let announced: ReadonlySet<string> = new Set();
  let nexthop = 'self';
  let socket: Socket | undefined;
  let silence: unknown;
  let retry: unknown;
  let stopped = false;

  const emit = (lines: readonly string[]): void => {
    for (const l of lines) o.write(l);
  };
  const withdrawAll = (): void => {
    const step = exabgpStep(announced, [], nexthop);
    emit(step.lines);
    announced = step.announced;
  };
  const armSilence = (): void => {
    if (silence !== undefined) o.clock.clearTimeout(silence);
    silence = o.clock.setTimeout(() => lost(`no word from the daemon for ${o.silenceMs} ms`), o.silenceMs);
  };
  const lost = (why: string): void => {
    if (silence !== undefined) o.clock.clearTimeout(silence);
    silence = undefined;
    const s = socket;
    socket = undefined;
    s?.destroy();
    if (announced.size > 0) o.log(`withdrawing ${announced.size} route(s): ${why}`);
    withdrawAll();
    if (!stopped && retry === undefined) retry = o.clock.setTimeout(attempt, RETRY_MS);
  };
  const attempt = (): void => {
    retry = undefined;
    if (stopped) return;
    const decode = feedDecoder();
    const s = open(o.socket);
    socket = s;
    s.setEncoding('utf8');
    s.on('connect', armSilence);
    s.on('data', (chunk: string) => {
      if (socket !== s) return;
      for (const item of decode(chunk)) {
        if (!item.ok) return lost(`bad line from the daemon: ${item.error}`);
        if (item.message.nexthop !== nexthop) {
          withdrawAll();
          nexthop = item.message.nexthop;
        }
        const step = exabgpStep(announced, item.message.routes, nexthop);
        emit(step.lines);
        announced = step.announced;
      }
      armSilence();
    });
    s.on('error', (e: Error) => {
      if (socket === s) lost(`${o.socket}: ${e.message}`);
    });
    s.on('close', () => {
      if (socket === s) lost(`${o.socket}: the daemon closed the connection`);
    });
  };
  attempt();
  return {
    stop: () => {
      stopped = true;
      if (retry !== undefined) o.clock.clearTimeout(retry);
      retry = undefined;
      lost('stopping');
    },
  };
}

function optionOf(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const silenceMs = Number(optionOf(argv, '--silence-ms') ?? FEED_SILENCE_MS);
  const feed = runSpeakerFeed({
    socket: optionOf(argv, '--socket') ?? DEFAULT_ANNOUNCE_SOCKET,
    silenceMs: Number.isFinite(silenceMs) && silenceMs > 0 ? silenceMs : FEED_SILENCE_MS,
    clock: systemClock,
    write: (line) => process.stdout.write(`${line}\n`),
    log: (message) => process.stderr.write(`ldirectord-exabgp: ${message}\n`),
  });
  // ExaBGP answers each command with `done` on our stdin (api ack); we read and drop it. End of stdin: ExaBGP
  // is gone, and so are its sessions.
  process.stdin.resume();
  process.stdin.on('end', () => {
    feed.stop();
    process.exit(0);
  });
  for (const sig of ['SIGTERM', 'SIGINT'] as const)
    process.on(sig, () => {
      feed.stop();
      process.exit(0);
    });
}
