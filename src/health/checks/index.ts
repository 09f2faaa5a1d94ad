// Dispatch by checktype and, for negotiate, by service: every negotiate check lives in src/health/services
// (http/https/http_proxy built here with their options, the others through the services registry); the
// check types that are not a service exchange live in this folder. A service missing from the registry is a
// clear down result, never a throw.
import type { ServiceName } from '../../model/config';
import { serviceChecks } from '../services';
import type { Check, CheckResult, CheckSpec } from '../types';
import { connectCheck } from './connect';
import { createExternalCheck, createExternalPerlCheck } from './external';
import { createHttpCheck, type HttpCheckOptions } from '../services/http';
import { createPingCheck } from './ping';
import { findCheckCage, type CheckCage } from './cgroup-cage';
import type { ProcessRunner, SpawnFn } from './process';

export interface CheckRunnerDeps {
  readonly spawn?: SpawnFn;
  /** The cgroup cage for check commands (cgroup-cage.ts); default: this host's, probed at the first command. */
  readonly cage?: () => Promise<CheckCage | undefined>;
  readonly services?: Partial<Record<ServiceName, Check>>;
  readonly http?: HttpCheckOptions;
  /** Overrides for single check types (tests). */
  readonly connect?: Check;
  readonly ping?: Check;
}

const HTTP_SERVICES: ReadonlySet<ServiceName> = new Set(['http', 'https', 'http_proxy']);

function constant(ok: boolean, reason: string): Promise<CheckResult> {
  return Promise.resolve({ ok, reason, durationMs: 0 });
}

export function createCheckRunner(deps: CheckRunnerDeps = {}): Check {
  const services = deps.services ?? serviceChecks;
  const http = createHttpCheck(deps.http);
  const findCage = deps.cage ?? (() => findCheckCage());
  let cage: Promise<CheckCage | undefined> | undefined;
  const runner: ProcessRunner = {
    ...(deps.spawn !== undefined ? { spawn: deps.spawn } : {}),
    get cage() {
      cage ??= findCage().catch(() => undefined);
      return cage;
    },
  };
  const ping = deps.ping ?? createPingCheck(runner);
  const connect = deps.connect ?? connectCheck;
  const external = createExternalCheck(runner);
  const externalPerl = createExternalPerlCheck(runner);

  const negotiate = (spec: CheckSpec, signal: AbortSignal): Promise<CheckResult> => {
    if (HTTP_SERVICES.has(spec.service)) return http(spec, signal);
    const check = services[spec.service];
    if (check !== undefined) return check(spec, signal);
    if (spec.service === 'none') return constant(true, 'service none: no check');
    return constant(
      false,
      `negotiate ${spec.service} ${spec.address}:${spec.port}: no check available for service ${spec.service}`,
    );
  };

  return (spec, signal) => {
    switch (spec.checktype.kind) {
      case 'on':
        return constant(true, 'checktype on');
      case 'off':
        return constant(false, 'checktype off');
      case 'connect':
        // UDP has no handshake to test; the reference pings instead (§3.1), and so do we.
        return spec.protocol === 'udp' ? ping(spec, signal) : connect(spec, signal);
      case 'ping':
        return ping(spec, signal);
      case 'external':
        return external(spec, signal);
      case 'external-perl':
        return externalPerl(spec, signal);
      case 'negotiate':
      case 'combined':
        return negotiate(spec, signal);
    }
  };
}

export const runCheck: Check = createCheckRunner();
