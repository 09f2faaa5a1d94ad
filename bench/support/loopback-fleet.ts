// What the host benchmarks with many real servers share: the loopback address of server i and the HTTP
// check spec aimed at it (the server children compute the same addresses).
import type { CheckSpec } from '../../src/health/types';
import { specFor } from '../../test/health/spec-fixture';

/** 127.1.0.1 …: 250 hosts per /24, so no address ends in .0 or .255. */
export function addressOf(i: number): string {
  return `127.${1 + Math.floor(i / 62500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;
}

/** An http check of `GET /health` expecting `ok`, bounded by `timeoutS`. */
export function httpSpec(address: string, port: number, timeoutS: number): CheckSpec {
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
