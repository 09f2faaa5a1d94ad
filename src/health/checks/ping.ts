// checktype=ping: ICMP echo through iputils `ping` (see docs/decisions/004-icmp-transport.md), one process per
// attempt, up to checkcount attempts of checktimeout each; the first reply means up. IPv4 and IPv6.
import type { Check, CheckResult } from '../types';
import { runProcess, type ProcessRunner } from './process';

export function pingArgs(address: string, family: 'inet' | 'inet6', timeoutS: number): string[] {
  return [
    family === 'inet6' ? '-6' : '-4',
    '-n',
    '-q',
    '-c',
    '1',
    '-W',
    String(Math.max(1, Math.ceil(timeoutS))),
    address,
  ];
}

export function createPingCheck(runner: ProcessRunner = {}, binary = 'ping'): Check {
  return async (spec, signal): Promise<CheckResult> => {
    // durationMs stays 0 in every result: the pool times every check.
    const attempts = Math.max(1, spec.checkcount);
    const family = spec.address.includes(':') ? 'inet6' : 'inet';
    let last = '';
    for (let i = 1; i <= attempts; i += 1) {
      const outcome = await runProcess(binary, pingArgs(spec.address, family, spec.checktimeout), signal, runner);
      if (outcome.code === 0 && !outcome.aborted) {
        return { ok: true, reason: `ping ${spec.address}: reply (attempt ${i}/${attempts})`, durationMs: 0 };
      }
      if (outcome.spawnError !== undefined) {
        return {
          ok: false,
          reason: `ping ${spec.address}: cannot run ${binary}: ${outcome.spawnError}`,
          durationMs: 0,
        };
      }
      if (outcome.aborted) {
        return {
          ok: false,
          reason: `ping ${spec.address}: timed out after ${attempts} × ${spec.checktimeout} s`,
          durationMs: 0,
        };
      }
      last =
        outcome.output.split('\n').find((l) => /packet loss|unreachable|unknown/i.test(l)) ??
        `exit status ${outcome.code ?? '?'}`;
    }
    return { ok: false, reason: `ping ${spec.address}: no reply in ${attempts} attempt(s) (${last})`, durationMs: 0 };
  };
}
