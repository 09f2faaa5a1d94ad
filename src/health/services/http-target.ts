// Where an http/https/http_proxy check goes and what it sends (docs/behaviour.md §3.2), as pure data:
//   URL      scheme://rip:checkport/request   (scheme https for https, http otherwise)
//   absolute a request beginning with `<scheme>://` is used as is: the check targets the URL's host/port
//   proxy    http_proxy connects to rip:checkport and asks it for the absolute request URL
//   Host     virtualhost, else the real's address, with `:port` when the port is not the scheme default
//   SNI      virtualhost (without port) when it is a name; none for IP addresses
import { isIP } from 'node:net';
import type { CheckSpec } from '../types';
import { hostPort } from '../timeout';
import { flat } from '../../model/flat';

export interface HttpTarget {
  /** The origin the connection goes to, e.g. `https://127.0.0.5:8443`. */
  readonly origin: string;
  /** The address (no brackets) and port of that origin, for connecting. */
  readonly connectHost: string;
  readonly connectPort: number;
  /** Request target: `/path` (origin form) or an absolute URL (http_proxy). */
  readonly path: string;
  /** Full URL for reasons and redirects. */
  readonly url: string;
  readonly host: string;
  readonly servername?: string;
  readonly method: 'GET' | 'HEAD';
}

function defaultPort(scheme: string): number {
  return scheme === 'https' ? 443 : 80;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const i = host.lastIndexOf(':');
  return i > 0 && host.indexOf(':') === i ? host.slice(0, i) : host;
}

export function httpTarget(spec: CheckSpec): HttpTarget {
  const scheme = spec.service === 'https' ? 'https' : 'http';
  const method = spec.httpmethod;
  if (spec.service === 'http_proxy') {
    const origin = `http://${hostPort(spec.address, spec.port)}`;
    const url = spec.request.replace(/^\/+(?=[a-z]+:\/\/)/i, '');
    let host = '';
    try {
      host = new URL(url).host;
    } catch {
      host = '';
    }
    return {
      origin,
      connectHost: spec.address,
      connectPort: spec.port,
      path: url,
      url: `${url} via proxy ${origin}`,
      host,
      method,
    };
  }
  const request = spec.request.replace(/^\/+/, '');
  if (request.toLowerCase().startsWith(`${scheme}://`)) {
    const absolute = new URL(request);
    const host = spec.virtualhost ?? absolute.host;
    const connectHost = absolute.hostname.replace(/^\[|\]$/g, '');
    const connectPort = absolute.port === '' ? defaultPort(scheme) : Number(absolute.port);
    return {
      origin: absolute.origin,
      connectHost,
      connectPort,
      path: `${absolute.pathname}${absolute.search}`,
      url: absolute.href,
      host,
      servername: sni(spec.virtualhost ?? absolute.hostname),
      method,
    };
  }
  // kept per real server for the target's lifetime: built flat (src/model/flat.ts)
  const origin = flat`${scheme}://${hostPort(spec.address, spec.port)}`;
  const address = spec.address.includes(':') ? `[${spec.address}]` : spec.address;
  const host = spec.virtualhost ?? (spec.port === defaultPort(scheme) ? address : flat`${address}:${spec.port}`);
  return {
    origin,
    connectHost: spec.address,
    connectPort: spec.port,
    path: `/${request}`,
    url: flat`${origin}/${request}`,
    host,
    servername: sni(spec.virtualhost),
    method,
  };
}

function sni(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const bare = stripPort(name);
  return bare === '' || isIP(bare.replace(/^\[|\]$/g, '')) !== 0 ? undefined : bare;
}
