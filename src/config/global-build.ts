// Global scope → GlobalConfig with ldirectord's defaults (docs/behaviour.md §2.2), plus what the virtual builder needs
// from it (the resolved global fallbacks, kept unported so each virtual can apply its own port and protocol).

import type { DaemonState, Fallback, GlobalConfig, SourceRef, TextAt } from '../model/config';
import { resolveHost, resolvePort } from './address';
import type { Diagnostics } from './diagnostics';
import type { FallbackSpec } from './real-parse';
import type { Resolver } from './resolver';
import { get, type ScopeValues } from './scope';
import { buildSyncSettings } from './sync-settings';
import { buildAnnounceSettings } from './announce-settings';
import { buildSmtpSettings } from './smtp-settings';

export const ALL_STATES: readonly DaemonState[] = ['starting', 'running', 'stopping', 'reloading'];

export interface ResolvedGlobalFallback {
  readonly spec: FallbackSpec;
  readonly address: string;
}

export interface GlobalContext {
  readonly global: GlobalConfig;
  readonly fallback?: ResolvedGlobalFallback;
  readonly fallback6?: ResolvedGlobalFallback;
  readonly confdir?: { readonly path: string; readonly at: SourceRef };
}

export async function buildGlobal(scope: ScopeValues, resolver: Resolver, diags: Diagnostics): Promise<GlobalContext> {
  const fallback = await resolveGlobalFallback('fallback', get<FallbackSpec>(scope, 'fallback'), resolver, diags);
  const fallback6 = await resolveGlobalFallback('fallback6', get<FallbackSpec>(scope, 'fallback6'), resolver, diags);
  const toModel = async (f: ResolvedGlobalFallback | undefined): Promise<Fallback | undefined> => {
    if (!f) return undefined;
    // Without a port the global fallback takes each virtual's port: 0 here means "the virtual's port".
    const port = f.spec.port ? await resolvePort('fallback', f.spec.port, 'any', resolver, diags) : 0;
    return {
      source: f.spec.at,
      family: f.spec.family,
      address: f.address,
      port: port ?? 0,
      forwarding: f.spec.forwarding,
    };
  };
  const confdirSetting = scope.values.get('confdir');
  const textAt = (name: string): TextAt | undefined => {
    const s = scope.values.get(name);
    return s === undefined ? undefined : { value: s.value as string, at: s.at };
  };
  const global: GlobalConfig = {
    checktimeout: get<number>(scope, 'checktimeout'),
    negotiatetimeout: get<number>(scope, 'negotiatetimeout'),
    checkinterval: get<number>(scope, 'checkinterval') ?? 10,
    checkcount: get<number>(scope, 'checkcount') ?? 1,
    failurecount: get<number>(scope, 'failurecount') ?? 1,
    successcount: get<number>(scope, 'successcount') ?? 1,
    autoreload: get<boolean>(scope, 'autoreload') ?? false,
    addbeforecheck: get<boolean>(scope, 'addbeforecheck') ?? false,
    allowemptyreload: get<boolean>(scope, 'allowemptyreload') ?? false,
    callback: get<string>(scope, 'callback'),
    fallback: await toModel(fallback),
    fallback6: await toModel(fallback6),
    fallbackcommand: get<string>(scope, 'fallbackcommand'),
    logfile: get<string>(scope, 'logfile') ?? '/var/log/ldirectord.log',
    execute: [...scope.execute],
    fork: get<boolean>(scope, 'fork') ?? false,
    supervised: get<boolean>(scope, 'supervised') ?? false,
    quiescent: get<boolean>(scope, 'quiescent') ?? false,
    readdquiescent: get<boolean>(scope, 'readdquiescent') ?? false,
    emailalert: get<readonly string[]>(scope, 'emailalert') ?? [],
    emailalertfreq: get<number>(scope, 'emailalertfreq') ?? 0,
    emailalertstatus: get<readonly DaemonState[]>(scope, 'emailalertstatus') ?? ALL_STATES,
    emailalertfrom: get<string>(scope, 'emailalertfrom'),
    cleanstop: get<boolean>(scope, 'cleanstop') ?? true,
    smtp: get<string>(scope, 'smtp'),
    ...buildSmtpSettings(scope, diags),
    maintenancedir: get<string>(scope, 'maintenancedir'),
    resyncinterval: get<number>(scope, 'resyncinterval') ?? 60,
    checkworkers: get<number>(scope, 'checkworkers'),
    confdir: confdirSetting ? (confdirSetting.value as string) : undefined,
    statusaddress: textAt('statusaddress'),
    statustlscert: textAt('statustlscert'),
    statustlskey: textAt('statustlskey'),
    statususers: textAt('statususers'),
    ...buildSyncSettings(scope, diags),
    announce: buildAnnounceSettings(scope, diags),
  };
  return {
    global,
    fallback,
    fallback6,
    confdir: confdirSetting ? { path: confdirSetting.value as string, at: confdirSetting.at } : undefined,
  };
}

async function resolveGlobalFallback(
  name: string,
  spec: FallbackSpec | undefined,
  resolver: Resolver,
  diags: Diagnostics,
): Promise<ResolvedGlobalFallback | undefined> {
  if (!spec) return undefined;
  const address = await resolveHost(name, spec.host, spec.family, resolver, diags);
  return address === undefined ? undefined : { spec, address };
}
