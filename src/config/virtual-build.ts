// One virtual section → VirtualService: names resolved, ranges expanded, defaults and derived values applied
// (docs/behaviour.md §2.3–2.8), every value effective. Returns undefined when the section had errors (already reported).

import type { CheckType, DaemonState, Family, Protocol, ServiceName, VirtualService } from '../model/config';
import { resolveHost, resolvePort } from './address';
import type { Diagnostics } from './diagnostics';
import type { GlobalContext } from './global-build';
import type { RawSection } from './raw';
import type { RealSpec } from './real-parse';
import type { Resolver } from './resolver';
import { get, readScope, type ScopeValues } from './scope';
import { SERVICE_BY_PORT } from './services';
import { parseVirtualOpener } from './virtual-parse';
import { buildReals, effectiveFallback, warnDuplicateReals } from './real-build';

export async function buildVirtual(
  section: RawSection,
  g: GlobalContext,
  resolver: Resolver,
  diags: Diagnostics,
): Promise<VirtualService | undefined> {
  const before = diags.errorCount;
  const key = parseVirtualOpener(section.opener, diags);
  const scope = readScope(section.directives, 'virtual', diags);
  if (!key) return undefined;
  const family = key.family;
  const opener = section.opener;

  // Protocol: explicit, else fwm for marks, udp for port 53/domain, else tcp.
  const explicitProtocol = get<Protocol>(scope, 'protocol');
  let protocol: Protocol;
  if (key.kind === 'fwmark') {
    if (explicitProtocol !== undefined && explicitProtocol !== 'fwm') {
      diags.error(
        'E_BAD_VALUE',
        `protocol=${explicitProtocol} does not fit a firewall-mark virtual (use fwm or leave it out)`,
        scope.values.get('protocol')!.at,
      );
    }
    protocol = 'fwm';
  } else {
    if (explicitProtocol === 'fwm') {
      diags.error(
        'E_BAD_VALUE',
        'protocol=fwm needs a firewall-mark virtual (virtual=MARK)',
        scope.values.get('protocol')!.at,
      );
    }
    protocol =
      explicitProtocol === 'tcp' || explicitProtocol === 'udp'
        ? explicitProtocol
        : key.port.text === '53' || key.port.text === 'domain'
          ? 'udp'
          : 'tcp';
  }

  let address: string | undefined;
  let port = 0;
  if (key.kind === 'address') {
    address = await resolveHost(opener.name, key.host, family, resolver, diags);
    port = (await resolvePort(opener.name, key.port, protocol === 'udp' ? 'udp' : 'tcp', resolver, diags)) ?? 0;
  }
  const bracketed = address !== undefined && family === 'inet6' ? `[${address}]` : address;
  const id =
    key.kind === 'fwmark' ? `${family === 'inet6' ? 'fwm6' : 'fwm'}:${key.mark}` : `${protocol}:${bracketed}:${port}`;

  const reals = await buildReals(scope.reals, family, resolver, diags);
  const fallback = await effectiveFallback(scope, g, family, protocol, port, resolver, diags);
  const { checktype, service } = checkAndService(
    scope,
    key.kind === 'fwmark' ? undefined : port,
    diags,
    opener.valueAt,
  );
  const persistent = get<{ persistent: number | undefined }>(scope, 'persistent')?.persistent;
  const netmask = checkNetmask(scope, family, diags);
  const schedflags = get<readonly string[]>(scope, 'schedflags');
  const scheduler = get<string>(scope, 'scheduler') ?? 'wrr';
  if (schedflags) checkSchedflags(schedflags, scheduler, scope, diags);
  let ops = get<boolean>(scope, 'ops') ?? false;
  if (ops && protocol !== 'udp') {
    diags.warn('W_OPS_IGNORED', `ops=yes ignored: ${id} is not a UDP virtual service`, scope.values.get('ops')!.at);
    ops = false;
  }
  const hostname = (): string => resolver.hostname();
  const explicitLogin = get<string>(scope, 'login');
  const explicitPasswd = get<string>(scope, 'passwd');
  const login =
    explicitLogin ?? (service === 'ftp' ? 'anonymous' : service === 'sip' ? `ldirectord@${hostname()}` : '');
  const passwd = explicitPasswd ?? (service === 'ftp' ? `ldirectord@${hostname()}` : '');
  const vChecktimeout = get<number>(scope, 'checktimeout');
  const vNegotiate = get<number>(scope, 'negotiatetimeout');
  const gl = g.global;

  warnDuplicateReals(reals, key.kind === 'fwmark' ? 0 : port, diags);
  if (diags.errorCount > before) return undefined;
  return {
    id,
    source: opener.at,
    family,
    protocol,
    ...(address !== undefined ? { address } : {}),
    port,
    ...(key.kind === 'fwmark' ? { fwmark: key.mark } : {}),
    reals,
    checktype,
    service,
    checkcommand: get<string>(scope, 'checkcommand') ?? '/bin/true',
    // Reference §2.8: the same kind per virtual, the other kind per virtual, then the globals, then the default.
    checktimeout: vChecktimeout ?? vNegotiate ?? gl.checktimeout ?? gl.negotiatetimeout ?? 5,
    negotiatetimeout: vNegotiate ?? vChecktimeout ?? gl.negotiatetimeout ?? gl.checktimeout ?? 30,
    checkcount: get<number>(scope, 'checkcount') ?? gl.checkcount,
    failurecount: get<number>(scope, 'failurecount') ?? gl.failurecount,
    successcount: get<number>(scope, 'successcount') ?? gl.successcount,
    checkinterval: get<number>(scope, 'checkinterval') ?? gl.checkinterval,
    checkport: get<number>(scope, 'checkport'),
    request: get<string>(scope, 'request') !== undefined ? normalise(get<string>(scope, 'request')!) : '/',
    receive: get<string>(scope, 'receive') ?? '',
    httpmethod: get<'GET' | 'HEAD'>(scope, 'httpmethod') ?? 'GET',
    virtualhost: get<string>(scope, 'virtualhost'),
    login,
    passwd,
    database: get<string>(scope, 'database') ?? '',
    secret: get<string>(scope, 'secret') ?? '',
    scheduler,
    persistent,
    netmask: persistent === undefined ? undefined : netmask,
    schedflags: schedflags?.join(','),
    ops,
    fallback,
    fallbackcommand: get<string>(scope, 'fallbackcommand') ?? gl.fallbackcommand,
    quiescent: get<boolean>(scope, 'quiescent') ?? gl.quiescent,
    cleanstop: get<boolean>(scope, 'cleanstop') ?? gl.cleanstop,
    announce: get<boolean>(scope, 'announce') ?? gl.announce?.byDefault ?? false,
    announcefallback: get<boolean>(scope, 'announcefallback') ?? gl.announce?.fallback ?? false,
    emailalert: get<readonly string[]>(scope, 'emailalert') ?? gl.emailalert,
    emailalertfreq: get<number>(scope, 'emailalertfreq') ?? gl.emailalertfreq,
    emailalertstatus: get<readonly DaemonState[]>(scope, 'emailalertstatus') ?? gl.emailalertstatus,
    smtp: get<string>(scope, 'smtp') ?? gl.smtp,
    monitorfile: get<string>(scope, 'monitorfile'),
    servicename: get<string>(scope, 'servicename'),
    comment: get<string>(scope, 'comment'),
  };
}

function normalise(request: string): string {
  if (request.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(request)) return request;
  return `/${request}`;
}

function checkAndService(
  scope: ScopeValues,
  port: number | undefined,
  diags: Diagnostics,
  at: RealSpec['at'],
): { checktype: CheckType; service: ServiceName } {
  let checktype = get<CheckType>(scope, 'checktype') ?? { kind: 'negotiate' };
  const explicit = get<ServiceName>(scope, 'service');
  if (explicit !== undefined) return { checktype, service: explicit };
  const derived = port === undefined ? 'none' : (SERVICE_BY_PORT.get(port) ?? 'none');
  if (derived !== 'oracle') return { checktype, service: derived };
  // No Oracle client: a service derived from port 1521 becomes a plain connect check.
  if (checktype.kind === 'negotiate' || checktype.kind === 'combined') {
    diags.warn(
      'W_ORACLE_DERIVED',
      'port 1521 selects the oracle service, which is not supported: using checktype=connect',
      at,
    );
    checktype = { kind: 'connect' };
  }
  return { checktype, service: 'none' };
}

function checkNetmask(scope: ScopeValues, family: Family, diags: Diagnostics): string | number | undefined {
  const s = scope.values.get('netmask');
  if (!s) return family === 'inet' ? '255.255.255.255' : 128;
  const text = s.value as string;
  if (family === 'inet6') {
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (n >= 1 && n <= 128) return n;
    diags.error(
      'E_BAD_VALUE',
      `netmask for an IPv6 virtual must be a prefix length 1..128, got ${JSON.stringify(text)}`,
      s.at,
    );
    return undefined;
  }
  const parts = text.split('.').map(Number);
  if (parts.length === 4 && parts.every((p) => p >= 0 && p <= 255)) {
    const n = parts.reduce((a, p) => a * 256 + p, 0);
    const inv = 2 ** 32 - 1 - n;
    if ((inv & (inv + 1)) === 0 || inv === 2 ** 32 - 1) return parts.join('.');
  }
  diags.error(
    'E_BAD_VALUE',
    `netmask for an IPv4 virtual must be a dotted mask like 255.255.255.0, got ${JSON.stringify(text)}`,
    s.at,
  );
  return undefined;
}

function checkSchedflags(flags: readonly string[], scheduler: string, scope: ScopeValues, diags: Diagnostics): void {
  for (const f of flags) {
    const prefix = /^(sh|mh)-/.exec(f)?.[1];
    if (prefix && prefix !== scheduler) {
      diags.error(
        'E_SCHEDFLAGS',
        `scheduler flag ${f} needs scheduler=${prefix} (scheduler is ${scheduler})`,
        scope.values.get('schedflags')!.at,
      );
    }
  }
}
