// Hand-built frozen-config fixtures for the tests that need a config (reconciler, director, health targets; the
// config loader has its own).
import type { Config, Fallback, GlobalConfig, RealServer, VirtualService } from '../../../src/model/config';
import { CHECK_TEXT } from '../../health/spec-fixture';

const src = { file: '/etc/ha.d/test.cf', line: 1, col: 1 };

export function real(address: string, port = 80, o: Partial<RealServer> = {}): RealServer {
  return {
    source: src,
    family: 'inet',
    address,
    port,
    forwarding: 'masq',
    weight: 1,
    lowerThreshold: 0,
    upperThreshold: 0,
    ...o,
  };
}

export function fallback(address: string, port = 80, o: Partial<Fallback> = {}): Fallback {
  return { source: src, family: 'inet', address, port, forwarding: 'masq', ...o };
}

export function virtual(
  address: string,
  port: number,
  reals: RealServer[],
  o: Partial<VirtualService> = {},
): VirtualService {
  return {
    id: `tcp:${address}:${port}`,
    source: src,
    family: 'inet',
    protocol: 'tcp',
    address,
    port,
    reals,
    checktype: { kind: 'negotiate' },
    service: 'http',
    checkcommand: '/bin/true',
    checktimeout: 5,
    negotiatetimeout: 30,
    checkcount: 1,
    failurecount: 1,
    successcount: 1,
    checkinterval: 10,
    ...CHECK_TEXT,
    scheduler: 'wrr',
    ops: false,
    quiescent: false,
    cleanstop: true,
    emailalert: [],
    emailalertfreq: 0,
    emailalertstatus: ['starting', 'running', 'stopping', 'reloading'],
    ...o,
  };
}

export function config(virtuals: VirtualService[], g: Partial<GlobalConfig> = {}): Config {
  const global: GlobalConfig = {
    checkinterval: 10,
    checkcount: 1,
    failurecount: 1,
    successcount: 1,
    autoreload: false,
    logfile: '/var/log/ldirectord.log',
    execute: [],
    fork: false,
    supervised: false,
    quiescent: false,
    readdquiescent: false,
    emailalert: [],
    emailalertfreq: 0,
    emailalertstatus: ['starting', 'running', 'stopping', 'reloading'],
    cleanstop: true,
    resyncinterval: 60,
    ...g,
  };
  return { file: '/etc/ha.d/test.cf', global, virtuals, warnings: [] };
}
