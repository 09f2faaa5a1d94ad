// The ECMP bed (bed.sh) from a guest test: each step a run of the script, the router's next hops read from
// its FIB, the client's probes and its counting loop.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BED = path.join(__dirname, 'bed.sh');
const CLIENT = path.join(__dirname, 'client.js');
export const VIP = '10.10.10.10';
/** `ipvsadm -Lnc` rows from the client (10.0.9.2, bed.sh) to VIP:9000: the client port. */
const VIP_9000_FROM_CLIENT = new RegExp(`10\\.0\\.9\\.2:(\\d+)\\s+${VIP.replace(/\./g, '\\.')}:9000`, 'g');
export const DIRECTOR_ADDRESS = { 1: '10.0.0.11', 2: '10.0.0.12' } as const;

export interface LoopCounts {
  readonly ok: number;
  readonly failed: number;
  /** Failed requests by reason (ECONNRESET, ECONNREFUSED, ENETUNREACH, timeout, HTTP …). */
  readonly byReason: Readonly<Record<string, number>>;
  /** The first 20 failures. */
  readonly failures: ReadonlyArray<{ at: number; reason: string }>;
}

export interface StreamState {
  readonly port: number;
  readonly echoes: number;
  readonly error: string | null;
}

/** A client.js run: its state as last written (undefined before the first write), and its stop. */
export interface ClientRun<T> {
  read(): T | undefined;
  stop(): Promise<T | undefined>;
}

export class EcmpBed {
  constructor(readonly dir: string) {}

  async step(...args: string[]): Promise<string> {
    const { stdout } = await run('bash', [BED, ...args], { maxBuffer: 1 << 20 });
    return stdout;
  }
  up = () => this.step('up', this.dir);
  director = (n: 1 | 2) => this.step('director', String(n), this.dir);
  kill = (n: 1 | 2) => this.step('kill', String(n), this.dir);
  killDaemon = (n: 1 | 2) => this.step('killdaemon', String(n), this.dir);
  down = () => this.step('down', this.dir);
  /** The router's next hops for the VIP, sorted (one `ip` run: process starts are slow in the guest). */
  async nexthops(): Promise<string[]> {
    const { stdout } = await run('ip', ['-n', 'rt', 'route', 'show', VIP]);
    return [...stdout.matchAll(/via (\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1]!).sort();
  }
  /** Director n's path to the real servers breaks (their /health answers it 503), or is mended. */
  breakChecks(n: 1 | 2, broken: boolean): Promise<string> {
    const file = path.join(this.dir, `fail-${DIRECTOR_ADDRESS[n]}`);
    return broken ? run('touch', [file]).then(() => '') : run('rm', ['-f', file]).then(() => '');
  }
  /** One request per local port: port → the real server's name (or `ERR …`). */
  async probe(ports: readonly number[]): Promise<Map<number, string>> {
    const { stdout } = await run('ip', [
      'netns',
      'exec',
      'cl',
      process.execPath,
      CLIENT,
      'probe',
      VIP,
      ...ports.map(String),
    ]);
    return new Map(
      stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => [Number(l.split(' ')[0]), l.slice(l.indexOf(' ') + 1)] as [number, string]),
    );
  }
  /** New connections back to back until stop(); the counts are read from the loop's file. */
  loop(): ClientRun<LoopCounts> {
    return this.client('loop.json', (file) => ['loop', VIP, file]);
  }
  /** N long-lived connections to VIP:9000 (rr, synced), each echoing a line every 100 ms, until stop(). */
  streams(n: number): ClientRun<StreamState[]> {
    return this.client('streams.json', (file) => ['streams', VIP, String(n), file]);
  }
  /** client.js in the client namespace until stop(), keeping its state in a file of the bed's directory. */
  private client<T>(name: string, args: (file: string) => string[]): ClientRun<T> {
    const file = path.join(this.dir, name);
    const p: ChildProcess = spawn('ip', ['netns', 'exec', 'cl', process.execPath, CLIENT, ...args(file)], {
      stdio: 'ignore',
    });
    const read = (): T | undefined => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as T;
      } catch {
        return undefined;
      }
    };
    return {
      read,
      stop: () =>
        new Promise((resolve) => {
          p.once('exit', () => resolve(read()));
          p.kill('SIGTERM');
        }),
    };
  }
  /** Client ports of the VIP:9000 connections in director n's IPVS connection table (its own and synced). */
  async connections(n: 1 | 2): Promise<Set<number>> {
    const { stdout } = await run('ip', ['netns', 'exec', `d${n}`, 'ipvsadm', '-Lnc']);
    const ports = [...stdout.matchAll(VIP_9000_FROM_CLIENT)].map((m) => Number(m[1]));
    return new Set(ports);
  }
  /** Connections director n scheduled itself on VIP:9000 (the service's Conns counter: synced ones not counted; the kernel sums it from per-CPU counters every 2 s, so it lags). */
  async scheduled(n: 1 | 2): Promise<number> {
    const { stdout } = await run('ip', ['netns', 'exec', `d${n}`, 'ipvsadm', '-Ln', '--stats', '-t', `${VIP}:9000`]);
    const m = /^TCP\s+\S+:9000\s+(\d+)/m.exec(stdout);
    if (m === null) throw new Error(`no VIP:9000 service in director ${n}'s table:\n${stdout}`);
    return Number(m[1]);
  }
  /** The last lines of every log of the bed, for a failure's message. */
  async tail(n = 15): Promise<string> {
    const { stdout } = await run('bash', ['-c', `tail -n ${n} ${this.dir}/*.log ${this.dir}/d*/*.log 2>&1 || true`]);
    return stdout;
  }
}
