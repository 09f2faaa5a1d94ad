// Value readers for the directives whose value is one of a set of words (checktype=, service=, scheduler
// flags, netmask=, emailalertstatus=), and the quoting rule they share with values.ts.

import type { CheckType, DaemonState, ServiceName } from '../model/config';
import { SERVICES } from '../model/config';
import type { Diagnostics } from './diagnostics';
import type { RawDirective } from './raw';

const MAX_INT = 2 ** 31 - 1;
const DAEMON_STATES: readonly DaemonState[] = ['starting', 'running', 'stopping', 'reloading'];
const SCHED_FLAGS = ['sh-fallback', 'sh-port', 'mh-fallback', 'mh-port', 'flag-1', 'flag-2', 'flag-3'];

/** Strip one pair of enclosing double quotes, if present. */
export function unquote(s: string): string {
  const m = /^"(.*)"$/.exec(s);
  return m ? (m[1] ?? '') : s;
}

export function readChecktype(d: RawDirective, diags: Diagnostics): CheckType | undefined {
  const t = d.text;
  switch (t) {
    case 'negotiate':
    case 'connect':
    case 'ping':
    case 'external':
    case 'external-perl':
    case 'on':
    case 'off':
      return { kind: t };
  }
  const m = /^(?:checktimeout)?(\d+)$/.exec(t);
  if (m) {
    const n = Number(m[1]);
    if (n <= MAX_INT) return { kind: 'combined', n };
  }
  diags.error(
    'E_BAD_VALUE',
    `checktype must be negotiate, connect, ping, external, external-perl, on, off or a number, got ${JSON.stringify(t)}`,
    d.valueAt,
  );
  return undefined;
}

export function readService(d: RawDirective, diags: Diagnostics): ServiceName | undefined {
  const t = d.text;
  if (t === 'oracle') {
    diags.error(
      'E_ORACLE_UNSUPPORTED',
      'service=oracle is not supported (no Oracle client); use checktype=connect, or checktype=external with a script',
      d.valueAt,
    );
    return undefined;
  }
  if ((SERVICES as readonly string[]).includes(t)) return t as ServiceName;
  diags.error(
    'E_BAD_VALUE',
    `service must be one of ${SERVICES.filter((s) => s !== 'oracle').join(', ')}; got ${JSON.stringify(t)}`,
    d.valueAt,
  );
  return undefined;
}

export function readWord<T extends string>(
  name: string,
  d: RawDirective,
  words: readonly T[],
  diags: Diagnostics,
): T | undefined {
  if ((words as readonly string[]).includes(d.text)) return d.text as T;
  diags.error('E_BAD_VALUE', `${name} must be ${words.join(' or ')}, got ${JSON.stringify(d.text)}`, d.valueAt);
  return undefined;
}

export function readNetmask(d: RawDirective, diags: Diagnostics): string | undefined {
  const t = d.text;
  if (/^\d+$/.test(t) || /^\d+\.\d+\.\d+\.\d+$/.test(t)) return t; // checked against the family when built
  diags.error(
    'E_BAD_VALUE',
    `netmask must be a dotted IPv4 mask or an IPv6 prefix length, got ${JSON.stringify(t)}`,
    d.valueAt,
  );
  return undefined;
}

export function readSchedflags(d: RawDirective, diags: Diagnostics): readonly string[] | undefined {
  const flags = d.text.split(',').map((s) => s.trim());
  const bad = flags.filter((f) => !SCHED_FLAGS.includes(f));
  if (bad.length === 0) return flags;
  diags.error(
    'E_SCHEDFLAGS',
    `unknown scheduler flag ${JSON.stringify(bad[0])} (known: ${SCHED_FLAGS.join(', ')})`,
    d.valueAt,
  );
  return undefined;
}

export function readAlertStatus(d: RawDirective, diags: Diagnostics): readonly DaemonState[] | undefined {
  const words = unquote(d.text)
    .split(',')
    .map((s) => s.trim());
  const states = new Set<DaemonState>();
  for (const w of words) {
    if (w === 'all') DAEMON_STATES.forEach((s) => states.add(s));
    else if (w === 'none' && words.length === 1) return [];
    else if ((DAEMON_STATES as readonly string[]).includes(w)) states.add(w as DaemonState);
    else {
      const why = w === 'none' ? 'none cannot be combined with other states' : `unknown state ${JSON.stringify(w)}`;
      diags.error(
        'E_BAD_VALUE',
        `emailalertstatus: ${why} (all, none, starting, running, stopping, reloading)`,
        d.valueAt,
      );
      return undefined;
    }
  }
  return DAEMON_STATES.filter((s) => states.has(s));
}
