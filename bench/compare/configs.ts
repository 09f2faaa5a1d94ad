// Equivalent configurations for the three programs, from one description of the bench's services:
// V virtual services 10.2.0.(v+1):80 (NAT, wrr), N real servers spread round-robin over them, one HTTP GET
// check per real server every second with a 2 s timeout, down after the first failure, up after the first
// success, weight 0 (not deletion) on failure.
//
//   setting               ldirectord.cf (Perl and ours)      keepalived.conf
//   check every 1 s       checkinterval=1                    delay_loop 1
//   timeout 2 s           checktimeout=2, negotiatetimeout=2 connect_timeout 2
//   fall 1                failurecount=1                     retry 0 (fall = retry + 1)
//   rise 1                (always 1)                         (always 1, no alpha)
//   weight 0 on failure   quiescent=yes                      inhibit_on_failure
//   GET / → body "ok"     service=http, request="/",         HTTP_GET { url { path / digest md5("ok")
//                         receive="ok"                        status_code 200 } }
//
// Run as a script it writes a sample (100 real servers) under bench/compare/configs/.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REAL_PORT, realAddress, virtualAddress } from './topology';

export const CHECK_INTERVAL_S = 1;
export const CHECK_TIMEOUT_S = 2;

export interface BenchServices {
  readonly reals: number;
  readonly virtuals: number;
  /** The scheduler of virtual service 0 (the reload scenario changes it from wrr to rr). */
  readonly firstScheduler: 'wrr' | 'rr';
}

/** Real servers (indices) of virtual service v. */
export function realsOf(s: BenchServices, v: number): number[] {
  const out: number[] = [];
  for (let i = v; i < s.reals; i += s.virtuals) out.push(i);
  return out;
}

const schedulerOf = (s: BenchServices, v: number): string => (v === 0 ? s.firstScheduler : 'wrr');

export function ldirectordCf(s: BenchServices, logfile: string): string {
  const lines = [
    '# ldirectord-ts bench (bench/compare/configs.ts): same file for the Perl ldirectord and ours',
    `checktimeout=${CHECK_TIMEOUT_S}`,
    `negotiatetimeout=${CHECK_TIMEOUT_S}`,
    `checkinterval=${CHECK_INTERVAL_S}`,
    'failurecount=1',
    'quiescent=yes',
    'autoreload=no',
    'supervised=yes',
    'fork=no',
    'cleanstop=yes',
    `logfile="${logfile}"`,
    '',
  ];
  for (let v = 0; v < s.virtuals; v++) {
    lines.push(`virtual=${virtualAddress(v)}:80`);
    for (const i of realsOf(s, v)) lines.push(`    real=${realAddress(i)}:${REAL_PORT} masq 1`);
    lines.push(
      '    service=http',
      '    checktype=negotiate',
      '    request="/"',
      '    receive="ok"',
      `    scheduler=${schedulerOf(s, v)}`,
      '    protocol=tcp',
      '',
    );
  }
  return lines.join('\n');
}

const OK_DIGEST = createHash('md5').update('ok').digest('hex');

export function keepalivedConf(s: BenchServices): string {
  const out = [
    '# ldirectord-ts bench (bench/compare/configs.ts): equivalent of the ldirectord.cf beside it',
    'global_defs {',
    '    router_id ldbench',
    '}',
    '',
  ];
  for (let v = 0; v < s.virtuals; v++) {
    out.push(
      `virtual_server ${virtualAddress(v)} 80 {`,
      `    delay_loop ${CHECK_INTERVAL_S}`,
      `    lvs_sched ${schedulerOf(s, v)}`,
      '    lvs_method NAT',
      '    protocol TCP',
    );
    for (const i of realsOf(s, v)) {
      out.push(
        `    real_server ${realAddress(i)} ${REAL_PORT} {`,
        '        weight 1',
        '        inhibit_on_failure',
        '        HTTP_GET {',
        `            url {`,
        '                path /',
        `                digest ${OK_DIGEST}`,
        '                status_code 200',
        '            }',
        `            connect_timeout ${CHECK_TIMEOUT_S}`,
        '            retry 0',
        '            delay_before_retry 1',
        '        }',
        '    }',
      );
    }
    out.push('}', '');
  }
  return out.join('\n');
}

if (require.main === module) {
  const dir = path.join(__dirname, 'configs');
  fs.mkdirSync(dir, { recursive: true });
  const sample: BenchServices = { reals: 100, virtuals: 10, firstScheduler: 'wrr' };
  fs.writeFileSync(path.join(dir, 'ldirectord-100.cf'), ldirectordCf(sample, '/tmp/ldbench/ldirectord.log'));
  fs.writeFileSync(
    path.join(dir, 'ldirectord-100-reloaded.cf'),
    ldirectordCf({ ...sample, firstScheduler: 'rr' }, '/tmp/ldbench/ldirectord.log'),
  );
  fs.writeFileSync(path.join(dir, 'keepalived-100.conf'), keepalivedConf(sample));
  fs.writeFileSync(path.join(dir, 'keepalived-100-reloaded.conf'), keepalivedConf({ ...sample, firstScheduler: 'rr' }));
  process.stdout.write(`wrote samples to ${dir}\n`);
}
