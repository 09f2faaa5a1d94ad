// The status server's settings from the statusaddress / statustlscert / statustlskey / statususers
// directives, validated before anything listens. Safe by default: on unless `statusaddress none`, loopback
// only by default, and a non-loopback address is refused unless it has TLS and users (the error names the
// directive's file:line). Pure.

import { isIP } from 'node:net';
import type { SourceRef } from '../../model/config';
import { ObserveError } from './errors';

export const DEFAULT_STATUS_HOST = '127.0.0.1';
export const DEFAULT_STATUS_PORT = 9186;

export interface SettingAt {
  readonly value: string;
  readonly at?: SourceRef;
}

export interface StatusDirectives {
  readonly statusaddress?: SettingAt;
  readonly statustlscert?: SettingAt;
  readonly statustlskey?: SettingAt;
  readonly statususers?: SettingAt;
}

export type StatusSettings =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      /** Address literal without brackets. */
      readonly host: string;
      readonly port: number;
      readonly loopback: boolean;
      readonly tls?: { readonly cert: string; readonly key: string };
      readonly usersFile?: string;
    };

export const where = (s: SettingAt | undefined): string =>
  s?.at === undefined ? '' : `${s.at.file}:${s.at.line}:${s.at.col}: `;

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.split('.')[0] === '127';
}

/** `HOST:PORT`, `[V6]:PORT`; HOST is an IP literal or `localhost`. */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text);
  if (m === null) return undefined;
  const host = m[1] as string;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  if (host !== 'localhost' && isIP(host) === 0) return undefined;
  if (text.startsWith('[') !== (isIP(host) === 6)) return undefined;
  return { host: host === 'localhost' ? '127.0.0.1' : host, port };
}

export function statusSettings(d: StatusDirectives): StatusSettings {
  const raw = d.statusaddress?.value.trim();
  if (raw !== undefined && (raw === '' || raw.toLowerCase() === 'none' || raw.toLowerCase() === 'off'))
    return { enabled: false };
  const hp = raw === undefined ? { host: DEFAULT_STATUS_HOST, port: DEFAULT_STATUS_PORT } : parseHostPort(raw);
  if (hp === undefined) {
    throw new ObserveError(
      'STATUS_BAD_ADDRESS',
      `${where(d.statusaddress)}statusaddress ${JSON.stringify(raw)} is not HOST:PORT or [IPV6]:PORT with an IP literal or localhost (or none)`,
    );
  }
  const cert = d.statustlscert?.value.trim();
  const key = d.statustlskey?.value.trim();
  if ((cert === undefined || cert === '') !== (key === undefined || key === '')) {
    const given = cert ? d.statustlscert : d.statustlskey;
    throw new ObserveError(
      'STATUS_TLS_INCOMPLETE',
      `${where(given)}statustlscert and statustlskey must be given together`,
    );
  }
  const users = d.statususers?.value.trim() || undefined;
  const loopback = isLoopback(hp.host);
  if (!loopback && (!cert || users === undefined)) {
    const missing = [!cert ? 'statustlscert and statustlskey' : '', users === undefined ? 'statususers' : '']
      .filter(Boolean)
      .join(' and ');
    throw new ObserveError(
      'STATUS_INSECURE',
      `${where(d.statusaddress)}statusaddress ${raw} is not a loopback address: the status server then needs TLS and authentication (missing ${missing}); use 127.0.0.1 or ::1, or statusaddress none`,
    );
  }
  return {
    enabled: true,
    host: hp.host,
    port: hp.port,
    loopback,
    ...(cert && key ? { tls: { cert, key } } : {}),
    ...(users === undefined ? {} : { usersFile: users }),
  };
}
