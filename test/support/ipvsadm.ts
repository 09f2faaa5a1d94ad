// ipvsadm as the independent witness of the kernel's IPVS table (guest tests only: it needs a kernel with
// IPVS). Runs the real binary (never through a shell) and parses what it prints into the project's model
// types, so a test can compare what our client wrote with what ipvsadm reads, and the other way round.
//
// ipvsadm 1.31 prints one format per listing, so the full picture takes two listings:
//
//   ipvsadm -Ln --tun-info                      ipvsadm -Ln --thresholds
//   TCP  192.0.2.1:80 wrr persistent 300 mask 255.255.255.0
//     -> 203.0.113.5:8080  Masq  n/a   3  0  0    -> 203.0.113.5:8080  100  10  0  0
//   UDP  [2001:db8::1]:53 sh (sh-fallback,sh-port) ops
//   FWM  8 IPv6 lc persistent 100 mask 64
//     -> [2001:db8::7]:0   Tunnel gue:6080:+c 1 0 0
//
// What ipvsadm cannot show is left at the model's defaults: netmask and timeout of a service that is not
// persistent (ipvsadm prints them only with persistence).
import { spawn } from 'node:child_process';

import type {
  IpvsDest,
  IpvsFamily,
  IpvsForwarding,
  IpvsProtocol,
  IpvsService,
  ServiceFlags,
  ServiceKey,
  TunnelCsum,
  TunnelType,
} from '../../src/ipvs/types';

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program without a shell; `input` is written to its stdin. */
export type Runner = (file: string, args: readonly string[], input?: string) => Promise<RunResult>;

export const spawnRunner: Runner = (file, args, input) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    // A program that exits without reading its input gives EPIPE here; its exit status tells the story.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });

/** ipvsadm exited non-zero, or printed something this parser does not understand. */
export class IpvsadmError extends Error {
  readonly code: 'IPVSADM_FAILED' | 'IPVSADM_UNPARSABLE';
  constructor(code: IpvsadmError['code'], message: string) {
    super(message);
    this.name = 'IpvsadmError';
    this.code = code;
  }
}

export interface ListedService {
  readonly service: IpvsService;
  readonly dests: readonly IpvsDest[];
}

export interface Ipvsadm {
  /** Runs `ipvsadm ARGS…`; rejects with IPVSADM_FAILED (naming the arguments and stderr) on a non-zero exit. */
  exec(args: readonly string[]): Promise<string>;
  /** `ipvsadm -R` with these rules on stdin. */
  restore(rules: string): Promise<void>;
  /** `ipvsadm -S -n`. */
  save(): Promise<string>;
  /** The table as the model sees it, from `-Ln --tun-info` and `-Ln --thresholds`. */
  list(): Promise<ListedService[]>;
  /** `ipvsadm -C`. */
  clear(): Promise<void>;
}

export function createIpvsadm(options: { readonly run?: Runner; readonly bin?: string } = {}): Ipvsadm {
  const run = options.run ?? spawnRunner;
  const bin = options.bin ?? 'ipvsadm';
  const exec = async (args: readonly string[], input?: string): Promise<string> => {
    const r = await run(bin, args, input);
    if (r.status !== 0) {
      throw new IpvsadmError(
        'IPVSADM_FAILED',
        `${bin} ${args.join(' ')}: exit ${String(r.status)}: ${r.stderr.trim()}`,
      );
    }
    return r.stdout;
  };
  return {
    exec: (args) => exec(args),
    restore: async (rules) => {
      await exec(['-R'], rules);
    },
    save: () => exec(['-S', '-n']),
    list: async () => mergeThresholds(await exec(['-Ln', '--tun-info']), await exec(['-Ln', '--thresholds'])),
    clear: async () => {
      await exec(['-C']);
    },
  };
}

const PROTOCOLS: Record<string, IpvsProtocol> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };
const FORWARDING: Record<string, IpvsForwarding> = {
  Masq: 'masq',
  Local: 'local',
  Tunnel: 'tunnel',
  Route: 'route',
  Bypass: 'bypass',
};
// ipvsadm 1.31 prints remote checksum offload as "r+c" (seen on the guest kernel).
const CSUM: Record<string, TunnelCsum> = { '-c': 'nocsum', '+c': 'csum', 'r+c': 'remcsum' };

function unparsable(what: string, line: string): never {
  throw new IpvsadmError('IPVSADM_UNPARSABLE', `ipvsadm output: cannot parse ${what}: ${JSON.stringify(line)}`);
}

/** "192.0.2.1:80" or "[2001:db8::1]:53" → family, address, port. */
export function parseAddrPort(text: string): { family: IpvsFamily; address: string; port: number } {
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text);
  if (v6) return { family: 'inet6', address: v6[1] ?? '', port: Number(v6[2]) };
  const v4 = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(text);
  if (v4) return { family: 'inet', address: v4[1] ?? '', port: Number(v4[2]) };
  return unparsable('address:port', text);
}

function serviceFlags(names: readonly string[], persistent: boolean, onePacket: boolean, line: string): ServiceFlags {
  const flags = { persistent, onePacket, sched1: false, sched2: false, sched3: false };
  for (const n of names) {
    if (n === 'sh-fallback' || n === 'mh-fallback' || n === 'flag-1') flags.sched1 = true;
    else if (n === 'sh-port' || n === 'mh-port' || n === 'flag-2') flags.sched2 = true;
    else if (n === 'flag-3') flags.sched3 = true;
    else unparsable(`scheduler flag ${n}`, line);
  }
  return flags;
}

/** One service line of `ipvsadm -Ln` (any listing format: the service line is the same in all). */
export function parseServiceLine(line: string): IpvsService {
  const t = line.trim().split(/\s+/);
  let i = 0;
  const proto = t[i++] ?? '';
  let key: ServiceKey;
  if (proto === 'FWM') {
    const mark = Number(t[i++]);
    if (!Number.isInteger(mark)) unparsable('fwmark', line);
    let family: IpvsFamily = 'inet';
    if (t[i] === 'IPv6') {
      family = 'inet6';
      i++;
    }
    key = { family, fwmark: mark };
  } else {
    const protocol = PROTOCOLS[proto] ?? unparsable('protocol', line);
    key = { ...parseAddrPort(t[i++] ?? ''), protocol };
  }
  const scheduler = t[i++] ?? unparsable('scheduler', line);
  let flagNames: string[] = [];
  let persistent = false;
  let onePacket = false;
  let timeout = 0;
  let netmask: string | number = key.family === 'inet' ? '255.255.255.255' : 128;
  let peName: string | undefined;
  while (i < t.length) {
    const tok = t[i++] ?? '';
    if (tok.startsWith('(') && tok.endsWith(')')) flagNames = tok.slice(1, -1).split(',').filter(Boolean);
    else if (tok === 'persistent') {
      persistent = true;
      timeout = Number(t[i++]);
    } else if (tok === 'mask') {
      const m = t[i++] ?? '';
      netmask = key.family === 'inet' ? m : Number(m);
    } else if (tok === 'pe') peName = t[i++];
    else if (tok === 'ops') onePacket = true;
    else unparsable(`service option ${tok}`, line);
  }
  return {
    ...key,
    scheduler,
    flags: serviceFlags(flagNames, persistent, onePacket, line),
    timeout,
    netmask,
    ...(peName !== undefined ? { peName } : {}),
  };
}

/** "n/a", "ipip", "gue:6080:+c", "gue:3:r+c", "gre:-c" (the TunnelInfo column of --tun-info). */
export function parseTunnelInfo(text: string): IpvsDest['tunnel'] {
  if (text === 'n/a') return undefined;
  const m = /^(ipip|gue|gre)(?::(\d+))?(?::(-c|\+c|r\+c))?$/.exec(text);
  if (!m) return unparsable('tunnel info', text);
  const csum = m[3] === undefined ? 'nocsum' : (CSUM[m[3]] ?? unparsable('tunnel checksum', text));
  return { type: m[1] as TunnelType, port: m[2] === undefined ? 0 : Number(m[2]), csum };
}

interface Section<D> {
  readonly serviceLine: string;
  readonly dests: D[];
}

function sections(text: string): Section<string>[] {
  const out: Section<string>[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (
      line === '' ||
      line.startsWith('IP Virtual Server') ||
      line.startsWith('Prot ') ||
      /^\s+-> RemoteAddress/.test(line)
    )
      continue;
    if (/^\s+->/.test(line)) {
      const last = out[out.length - 1] ?? unparsable('destination before any service', line);
      last.dests.push(line);
    } else {
      out.push({ serviceLine: line, dests: [] });
    }
  }
  return out;
}

/** `ipvsadm -Ln --tun-info`: services and destinations (thresholds 0, filled in by mergeThresholds). */
export function parseList(text: string): ListedService[] {
  return sections(text).map((s) => {
    const service = parseServiceLine(s.serviceLine);
    const dests = s.dests.map((line): IpvsDest => {
      const t = line.trim().split(/\s+/);
      if (t.length !== 7 || t[0] !== '->') unparsable('destination (expected --tun-info columns)', line);
      const forwarding = FORWARDING[t[2] ?? ''] ?? unparsable('forwarding', line);
      const tunnel = parseTunnelInfo(t[3] ?? '');
      return {
        ...parseAddrPort(t[1] ?? ''),
        forwarding,
        weight: Number(t[4]),
        upperThreshold: 0,
        lowerThreshold: 0,
        ...(tunnel !== undefined ? { tunnel } : {}),
      };
    });
    return { service, dests };
  });
}

export interface ThresholdRow {
  readonly address: string;
  readonly port: number;
  readonly upper: number;
  readonly lower: number;
}

/** `ipvsadm -Ln --thresholds`: for each service (by its printed line), the thresholds of its destinations. */
export function parseThresholds(text: string): { readonly serviceLine: string; readonly rows: ThresholdRow[] }[] {
  return sections(text).map((s) => ({
    serviceLine: s.serviceLine,
    rows: s.dests.map((line) => {
      const t = line.trim().split(/\s+/);
      if (t.length !== 6 || t[0] !== '->') unparsable('destination (expected --thresholds columns)', line);
      const { address, port } = parseAddrPort(t[1] ?? '');
      return { address, port, upper: Number(t[2]), lower: Number(t[3]) };
    }),
  }));
}

/** Pairs the two listings service by service; they must show the same services in the same order. */
export function mergeThresholds(listText: string, thresholdText: string): ListedService[] {
  const listed = sections(listText);
  const thresholds = parseThresholds(thresholdText);
  const services = parseList(listText);
  if (listed.length !== thresholds.length) {
    throw new IpvsadmError(
      'IPVSADM_UNPARSABLE',
      `ipvsadm listings disagree: ${listed.length} services, ${thresholds.length} with thresholds (table changed between them?)`,
    );
  }
  return services.map((l, n) => {
    const t = thresholds[n];
    if (t === undefined || t.serviceLine !== listed[n]?.serviceLine)
      unparsable('listings in different order', t?.serviceLine ?? '');
    return {
      service: l.service,
      dests: l.dests.map((d) => {
        const row = t.rows.find((r) => r.address === d.address && r.port === d.port);
        return row === undefined ? d : { ...d, upperThreshold: row.upper, lowerThreshold: row.lower };
      }),
    };
  });
}
