// The observability stack in-process, on real parts: real HTTP real servers on loopback, the real config
// loader, the real director on the in-memory IPVS table, the real health pool wired as the daemon wires it,
// and the real status server.
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../../../src/config/load';
import { startDirector, type Director } from '../../../../src/daemon/director';
import { createMemoryIpvs, type MemoryIpvs } from '../../../../src/ipvs/memory/table';
import type { IpvsClient } from '../../../../src/ipvs/types';
import type { Config } from '../../../../src/model/config';
import { createLogger, createMemorySink, type MemorySink } from '../../../../src/observe/log/logger';
import { prepareObservability } from '../../../../src/observe/http/observability';
import type { Observability, PrepareOptions } from '../../../../src/observe/http/observability-types';
import { nodeOverrideFs } from '../../../../src/observe/actions/persisted-overrides';
import type { SettingAt } from '../../../../src/observe/http/settings';
import { hashPassword } from '../../../../src/observe/http/users';
import { createResultTap } from '../../../../src/daemon/process/result-tap';
import { systemClock } from '../../../../src/daemon/process/system';
import { createHealthPool } from '../../../../src/health/pool';
import { targetsFor } from '../../../../src/health/spec';
import type { PoolTarget } from '../../../../src/health/types';
import type { ResultTapPool } from '../../../../src/observe/metrics/result-tap';

export interface RealServer {
  readonly port: number;
  hits: number;
  /** Stops listening and drops connections: checks now get ECONNREFUSED. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
}

export async function startReal(body = 'ok'): Promise<RealServer> {
  let server: http.Server | undefined;
  const real: RealServer = {
    port: 0,
    hits: 0,
    async up() {
      const s = http.createServer((_req, res) => {
        real.hits++;
        res.writeHead(200, { 'Content-Type': 'text/plain', Connection: 'close' });
        res.end(body);
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(real.port, '127.0.0.1', () => resolve());
      });
      server = s;
      (real as { port: number }).port = (s.address() as AddressInfo).port;
    },
    async down() {
      const s = server;
      server = undefined;
      if (s === undefined) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
  await real.up();
  return real;
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ldd-obs-'));
}

export async function loadText(text: string, dir = tempDir()): Promise<Config> {
  const file = path.join(dir, 'ldirectord.cf');
  writeFileSync(file, text);
  const r = await loadConfig(file);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.code} ${e.message}`).join('\n'));
  return r.config;
}

/** Sets status directives on a loaded config (as the loader does once they are in the directive table). */
export function withStatus(config: Config, d: Record<string, string>): Config {
  const extra: Record<string, SettingAt> = {};
  for (const [k, value] of Object.entries(d)) extra[k] = { value, at: { file: config.file, line: 1, col: 1 } };
  return { ...config, global: { ...config.global, ...extra } };
}

export async function usersFile(dir: string, users: Record<string, string>): Promise<string> {
  const lines = await Promise.all(Object.entries(users).map(([u, p]) => hashPassword(u, p)));
  const file = path.join(dir, 'users');
  writeFileSync(file, `# test users\n${lines.join('\n')}\n`);
  return file;
}

/** `text` loaded from a fresh directory (returned, for files a test rewrites), with the status server on a free
 * loopback port and, when `users` are given, a statususers file of them in that directory; `extra` directives
 * (statustlscert, …) are set too. */
export async function statusConfig(
  text: string,
  users?: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<{ config: Config; dir: string }> {
  const dir = tempDir();
  const directives: Record<string, string> = { statusaddress: '127.0.0.1:0', ...extra };
  if (users !== undefined) directives.statususers = await usersFile(dir, users);
  const config = withStatus(await loadText(text, dir), directives);
  return { config, dir };
}

/** An HTTP Authorization header value (Basic) for user:password. */
export const basicAuth = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The config these tests share: `globals`, then virtual 127.0.0.1:8080 with `reals` (each a `real=` value)
 * checked by an HTTP GET that expects "ok", then `options` of that virtual. */
export const httpCheckedCf = (
  globals: readonly string[],
  reals: readonly string[],
  options: readonly string[] = [],
): string =>
  [
    ...globals,
    'virtual=127.0.0.1:8080',
    ...reals.map((r) => `\treal=${r}`),
    '\tservice=http',
    '\tchecktype=negotiate',
    '\treceive="ok"',
    ...options.map((o) => `\t${o}`),
    '',
  ].join('\n');

export interface Stack {
  readonly director: Director;
  readonly obs: Observability;
  readonly ipvs: MemoryIpvs;
  readonly sink: MemorySink;
  readonly url: string;
  reload(next: Config): Promise<boolean>;
  stop(): Promise<void>;
}

export interface StackOptions extends Partial<PrepareOptions> {
  ipvs?: MemoryIpvs;
  /** What the kernel counters are read from (default: the director's table). */
  statsFrom?: Pick<IpvsClient, 'listServices' | 'listDests'>;
}

/** The daemon's own pool wiring (src/daemon/process/director-starter.ts): pool, result tap, targets; and the
 * clock and files the composition root gives prepareObservability. */
export function realPool(): Pick<PrepareOptions, 'clock' | 'readFile' | 'overridesFs'> & {
  pool: ResultTapPool;
  targets: (c: Config) => readonly PoolTarget[];
} {
  const tap = createResultTap();
  const pool = tap.wrap(createHealthPool({ clock: systemClock, onCheck: (ob) => tap.onCheck(ob) }));
  return {
    pool,
    targets: (c) => targetsFor(c),
    clock: systemClock,
    readFile: (f) => readFile(f),
    overridesFs: nodeOverrideFs,
  };
}

export async function startStack(config: Config, o: StackOptions = {}): Promise<Stack> {
  const ipvs = o.ipvs ?? createMemoryIpvs();
  const sink = createMemorySink();
  const logger = createLogger({ sink, now: () => Date.now(), debugLevel: 0 });
  const parts = realPool();
  const prepared = await prepareObservability({ config, ...parts, logger, pollMs: 300, ...o });
  const director = await startDirector({
    config,
    ipvs,
    pool: prepared.pool,
    targets: prepared.targets,
    mapping: prepared.mapping,
    listeners: prepared.listeners,
    logger,
    clock: systemClock,
    spawn: async () => ({ code: 0, signal: null }),
  });
  let current = config;
  const obs = await prepared.start(director, o.statsFrom ?? ipvs, () => current);
  return {
    director,
    obs,
    ipvs,
    sink,
    url: obs.server?.url ?? '',
    async reload(next: Config) {
      const ok = await director.reload({ ok: true, config: next });
      if (ok) current = next;
      return ok;
    },
    async stop() {
      await obs.stop();
      await director.stop();
    },
  };
}
