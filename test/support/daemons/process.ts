// Starting and stopping real Debian daemons for tests: spawn in the foreground, keep the output for error
// messages, wait for readiness by polling a port or the log (never a fixed sleep), stop with TERM then KILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningDaemon {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything the daemon wrote to stdout and stderr so far (last 64 KiB). */
  output(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
  /** Own process group, signalled as a whole on stop (daemons whose workers outlive a lone master). */
  readonly group?: boolean;
  /** The signal for an orderly but prompt stop (default SIGTERM; postgres wants SIGINT, "fast"). */
  readonly stopSignal?: NodeJS.Signals;
}

/** A fresh temporary directory; remove it with removeDir. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ldts-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** An unused TCP port on loopback (both 127.0.0.1 and ::1 free), found by binding port 0. */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const v6 = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      v6.once('error', () => resolve(false));
      v6.listen(port, '::1', () => resolve(true));
    });
    if (ok) {
      await new Promise<void>((resolve) => v6.close(() => resolve()));
      return port;
    }
  }
}

export function spawnDaemon(name: string, command: string, args: string[], opts: SpawnOptions = {}): RunningDaemon {
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.group === true,
    ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
    ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
  });
  let out = '';
  const collect = (chunk: Buffer): void => {
    out = (out + chunk.toString('utf8')).slice(-65536);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('error', (err) => collect(Buffer.from(`spawn error: ${err.message}\n`)));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let stopping: Promise<void> | undefined;
  return {
    name,
    child,
    output: () => out,
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const signal = (sig: NodeJS.Signals): void => {
            try {
              if (opts.group && child.pid) process.kill(-child.pid, sig);
              else child.kill(sig);
            } catch {
              // already gone
            }
          };
          signal(opts.stopSignal ?? 'SIGTERM');
          const killer = setTimeout(() => signal('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        }
        child.stdout?.destroy();
        child.stderr?.destroy();
      })();
      return stopping;
    },
  };
}

/** Runs a command to completion; rejects with its output when it fails. */
export async function run(command: string, args: string[], opts: SpawnOptions = {}): Promise<string> {
  const d = spawnDaemon(command, command, args, opts);
  const [code] = (await once(d.child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${d.output()}`);
  return d.output();
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Polls until `ready()` is true, failing with the daemon's output if it exits or `limitMs` passes.
 * Polling a condition is synchronisation on the event, not a sleep standing in for it.
 */
export async function waitUntil(
  d: RunningDaemon,
  what: string,
  ready: () => Promise<boolean> | boolean,
  limitMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await ready()) return;
    if (d.child.exitCode !== null || d.child.signalCode !== null) {
      throw new Error(`${d.name} exited (${d.child.exitCode ?? d.child.signalCode}) before ${what}:\n${d.output()}`);
    }
    if (Date.now() > deadline) throw new Error(`${d.name}: no ${what} after ${limitMs} ms:\n${d.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until every host:port accepts TCP connections. */
export async function waitForPorts(
  d: RunningDaemon,
  endpoints: readonly { host: string; port: number }[],
): Promise<void> {
  for (const e of endpoints) {
    await waitUntil(d, `listener on ${e.host}:${e.port}`, () => connects(e.host, e.port));
  }
}

/** Waits until the daemon's output matches `pattern`. */
export function waitForOutput(d: RunningDaemon, pattern: RegExp): Promise<void> {
  return waitUntil(d, `output matching ${pattern}`, () => pattern.test(d.output()));
}

/** The loopback endpoints of `ports`, IPv4 and IPv6. */
export function onBothLoopbacks(ports: readonly number[]): { host: string; port: number }[] {
  return ports.flatMap((port) => [
    { host: '127.0.0.1', port },
    { host: '::1', port },
  ]);
}

/** Runs `ready`; if it throws, stops the daemons and removes their directory before rethrowing. Returns the stop
 * (the daemons, then the directory). */
export async function readyOrCleanedUp(
  daemons: readonly RunningDaemon[],
  dir: string,
  ready: () => Promise<void>,
): Promise<() => Promise<void>> {
  const stop = async (): Promise<void> => {
    await Promise.all(daemons.map((d) => d.stop()));
    removeDir(dir);
  };
  try {
    await ready();
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}

/** Waits until `daemon` accepts connections on every one of `ports` on 127.0.0.1 and ::1; if it does not, stops it
 * and removes `dir` before rethrowing. Returns the stop (the daemon, then the directory). */
export function listeningOnLoopbacks(
  daemon: RunningDaemon,
  dir: string,
  ports: readonly number[],
): Promise<() => Promise<void>> {
  return readyOrCleanedUp([daemon], dir, () => waitForPorts(daemon, onBothLoopbacks(ports)));
}
