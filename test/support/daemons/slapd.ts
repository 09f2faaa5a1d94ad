// slapd from a slapd.conf of its own (mdb backend in a temp dir), loaded with slapadd, serving ldap:// and
// ldaps:// on 127.0.0.1 and ::1. The base DN has the entries given; rootdn/rootpw can bind.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, listeningOnLoopbacks, run, spawnDaemon, tempDir, type RunningDaemon } from './process';

export interface SlapdServer {
  readonly ldap: number;
  readonly ldaps: number;
  readonly suffix: string;
  readonly rootdn: string;
  readonly rootpw: string;
  readonly daemon: RunningDaemon;
  stop(): Promise<void>;
}

export interface SlapdOptions {
  readonly certPath: string;
  readonly keyPath: string;
  /** LDIF of the entries below the suffix (the suffix entry itself is added). */
  readonly ldif?: string;
}

export async function startSlapd(opts: SlapdOptions): Promise<SlapdServer> {
  const dir = tempDir('slapd');
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'db'), { mode: 0o700 });
  const suffix = 'dc=example,dc=test';
  const rootdn = `cn=admin,${suffix}`;
  const rootpw = 'adminpw';
  const conf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCertificateFile ${opts.certPath}
TLSCertificateKeyFile ${opts.keyPath}
database mdb
maxsize 16777216
suffix "${suffix}"
rootdn "${rootdn}"
rootpw ${rootpw}
directory ${dir}/db
access to * by * read
`;
  writeFileSync(join(dir, 'slapd.conf'), conf, { mode: 0o644 });
  const base = `dn: ${suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n`;
  writeFileSync(join(dir, 'data.ldif'), base + (opts.ldif ?? ''), { mode: 0o644 });
  await run('slapadd', ['-f', join(dir, 'slapd.conf'), '-l', join(dir, 'data.ldif')]);
  const [ldap, ldaps] = [await freePort(), await freePort()];
  const urls = [
    `ldap://127.0.0.1:${ldap}`,
    `ldap://[::1]:${ldap}`,
    `ldaps://127.0.0.1:${ldaps}`,
    `ldaps://[::1]:${ldaps}`,
  ];
  const daemon = spawnDaemon('slapd', 'slapd', ['-d', '0', '-f', join(dir, 'slapd.conf'), '-h', urls.join(' ')]);
  const stop = await listeningOnLoopbacks(daemon, dir, [ldap, ldaps]);
  return { ldap, ldaps, suffix, rootdn, rootpw, daemon, stop };
}
