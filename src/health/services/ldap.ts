// ldap / ldaps: bind with login/passwd when both are set (else anonymous), then a base-scope search of the
// base DN = request without its leading `/` (empty = root DSE), filter (objectClass=*). Up when exactly one
// entry comes back and, when receive is set, its DN matches receive. Bounded by checktimeout, as ldirectord.
// The sockets ldapts opens are ours (createConnection): byte-capped, and destroyed when the probe ends.

import * as net from 'node:net';
import * as tls from 'node:tls';
import { Client } from 'ldapts';
import type { Check } from '../types';
import { ldapErrorText } from './ldap-result';
import { capBytes } from './byte-cap';
import { hostPort, probe, ProbeFailure, stripSlash } from './probe';
import { excerpt, receivePattern } from './receive';
import { tlsIdentity } from './stream';

export const ldapCheck: Check = (spec, signal) => {
  const secure = spec.service === 'ldaps';
  const where = hostPort(spec.address, spec.port);
  return probe(
    `${secure ? 'LDAPS' : 'LDAP'} ${where}`,
    spec,
    signal,
    async (ctx) => {
      const pattern = spec.receive === '' ? undefined : receivePattern(spec.receive);
      const family = net.isIPv6(spec.address) ? 6 : 4;
      // Destroyed with an error, not silently: ldapts clears its connect timer only on 'error' or 'connect'.
      const own = <S extends net.Socket>(s: S): S => {
        capBytes(ctx, s);
        ctx.defer(() => s.destroy(new Error('check ended'))); // runs before capBytes' plain destroy
        return s;
      };
      const client = new Client({
        url: `${secure ? 'ldaps' : 'ldap'}://${where}`,
        timeout: ctx.timeoutMs,
        connectTimeout: ctx.timeoutMs,
        strictDN: false,
        createConnection: ((port: number, host: string) => {
          return own(net.connect({ port, host: spec.address || host, family }));
        }) as typeof net.connect,
        createSecureConnection: ((port: number, _host: string, options?: tls.ConnectionOptions) => {
          const s = tls.connect({
            ...options,
            port,
            host: spec.address,
            rejectUnauthorized: spec.tlsVerify,
            ...tlsIdentity(spec.tlsCa, spec.virtualhost),
          });
          return own(s);
        }) as typeof tls.connect,
      });
      const anonymous = spec.login === '' || spec.passwd === '';
      try {
        if (anonymous) await client.bind('', '');
        else await client.bind(spec.login, spec.passwd);
      } catch (err) {
        throw new ProbeFailure(`bind ${anonymous ? 'anonymously' : `as ${spec.login}`} failed: ${ldapErrorText(err)}`);
      }
      const base = stripSlash(spec.request);
      let dns: string[];
      try {
        const { searchEntries } = await client.search(base, { scope: 'base', filter: '(objectClass=*)', sizeLimit: 2 });
        dns = searchEntries.map((e) => e.dn);
      } catch (err) {
        throw new ProbeFailure(`search of "${base}" failed: ${ldapErrorText(err)}`);
      }
      void client.unbind().catch(() => undefined);
      if (dns.length !== 1) throw new ProbeFailure(`search of "${base}" returned ${dns.length} entries, expected 1`);
      const dn = dns[0] ?? '';
      if (pattern && !pattern.test(dn))
        throw new ProbeFailure(`response mismatch: DN ${excerpt(dn)} does not match /${spec.receive}/`);
      return `found ${excerpt(dn)}`;
    },
    spec.checktimeout,
  );
};
