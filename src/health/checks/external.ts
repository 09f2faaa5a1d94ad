// checktype=external (docs/behaviour.md §3.1): `checkcommand VIP VPORT RIP RPORT`, no shell; exit 0 = up.
// fwmark virtuals pass the mark as VIP and 0 as VPORT; IPv6 addresses are bracketed as the reference does.
// external-perl runs the checkcommand file through `perl` the same way (no in-process Perl).
import type { Check, CheckResult, CheckSpec } from '../types';
import { runProcess, type ProcessOutcome, type ProcessRunner } from './process';

function bracket(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** The four arguments of docs/behaviour.md §3.1. */
export function externalArgs(spec: CheckSpec): string[] {
  const vip = spec.fwmark !== undefined ? String(spec.fwmark) : bracket(spec.virtualAddress ?? '');
  const vport = spec.fwmark !== undefined ? '0' : String(spec.virtualPort);
  return [vip, vport, bracket(spec.address), String(spec.realPort)];
}

export function describeOutcome(label: string, outcome: ProcessOutcome, limitS: number): string {
  const said = outcome.output === '' ? '' : ` (output: ${outcome.output.split('\n').slice(-1)[0] ?? ''})`;
  if (outcome.spawnError !== undefined) return `${label}: cannot run: ${outcome.spawnError}`;
  if (outcome.aborted) return `${label}: timed out after ${limitS} s, its processes killed${said}`;
  if (outcome.signal !== null) return `${label}: killed by ${outcome.signal}${said}`;
  return `${label}: exit status ${outcome.code ?? '?'}${said}`;
}

async function run(
  file: string,
  args: string[],
  label: string,
  spec: CheckSpec,
  signal: AbortSignal,
  runner: ProcessRunner,
): Promise<CheckResult> {
  if (spec.checkcommand === '') {
    return { ok: false, reason: `${label}: no checkcommand configured`, durationMs: 0 };
  }
  const outcome = await runProcess(file, args, signal, runner);
  const ok = outcome.code === 0 && !outcome.aborted && outcome.spawnError === undefined;
  return { ok, reason: describeOutcome(label, outcome, spec.checktimeout), durationMs: 0 }; // the pool times every check
}

export function createExternalCheck(runner: ProcessRunner = {}): Check {
  return (spec, signal) => {
    const args = externalArgs(spec);
    return run(spec.checkcommand, args, `external ${[spec.checkcommand, ...args].join(' ')}`, spec, signal, runner);
  };
}

export function createExternalPerlCheck(runner: ProcessRunner = {}): Check {
  return (spec, signal) => {
    const args = externalArgs(spec);
    return run(
      'perl',
      [spec.checkcommand, ...args],
      `external-perl ${[spec.checkcommand, ...args].join(' ')}`,
      spec,
      signal,
      runner,
    );
  };
}
