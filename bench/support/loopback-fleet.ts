// What the host benchmarks with many real servers share: the loopback address of server i, the HTTP check
// spec aimed at it and its pool target (the server children compute the same addresses), and the pool built
// as the daemon builds it.
import { systemClock } from '../../src/health/clock';
import { createHealthPool, type HealthPoolDeps } from '../../src/health/pool';
import { WAKEUP_COALESCE_MAX, WAKEUP_COALESCE_MS } from '../../src/health/schedule';
import type { CheckSpec, HealthPoolApi, PoolTarget } from '../../src/health/types';
import { specFor } from '../../test/health/spec-fixture';

/** 127.1.0.1 …: 250 hosts per /24, so no address ends in .0 or .255. */
export function addressOf(i: number): string {
  return `127.${1 + Math.floor(i / 62500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;
}

/** An http check of `GET /health` expecting `ok`, bounded by `timeoutS`. */
function httpSpec(address: string, port: number, timeoutS: number): CheckSpec {
  return specFor({
    address,
    port,
    realPort: port,
    request: '/health',
    receive: 'ok',
    checktimeout: timeoutS,
    negotiatetimeout: timeoutS,
  });
}

/** Server `address`'s pool target: its http check every `intervalMs`, one failure or success flipping it. */
export function fleetTarget(address: string, port: number, timeoutS: number, intervalMs: number): PoolTarget {
  return {
    id: `tcp:127.0.0.100:80|${address}:${port}`,
    spec: httpSpec(address, port, timeoutS),
    intervalMs,
    failurecount: 1,
    successcount: 1,
  };
}

/** The pool as the daemon builds it (director-starter.ts): default concurrency, adaptive admission, coalesced wakeups. */
export function daemonPool(extra: Partial<HealthPoolDeps>): HealthPoolApi {
  return createHealthPool({
    clock: systemClock,
    adaptive: true,
    coalesceMs: WAKEUP_COALESCE_MS,
    coalesceMax: WAKEUP_COALESCE_MAX,
    ...extra,
  });
}
