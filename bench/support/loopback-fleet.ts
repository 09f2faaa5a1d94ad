// What the host benchmarks with many real servers share: the loopback address of server i and the HTTP
// check spec aimed at it (the server children compute the same addresses).
import type { CheckSpec } from '../../src/health/types';

/** 127.1.0.1 …: 250 hosts per /24, so no address ends in .0 or .255. */
export function addressOf(i: number): string {
  return `127.${1 + Math.floor(i / 62500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;
}

/** An http check of `GET /health` expecting `ok`, bounded by `timeoutS`. */
export function httpSpec(address: string, port: number, timeoutS: number): CheckSpec {
  return {
    checktype: { kind: 'negotiate' },
    service: 'http',
    protocol: 'tcp',
    family: 'inet',
    address,
    port,
    realPort: port,
    virtualAddress: '127.0.0.100',
    virtualPort: 80,
    request: '/health',
    receive: 'ok',
    httpmethod: 'GET',
    login: '',
    passwd: '',
    database: '',
    secret: '',
    checkcommand: '',
    checktimeout: timeoutS,
    negotiatetimeout: timeoutS,
    checkcount: 1,
    tlsVerify: true,
  };
}
