// Test certificates made with the openssl binary into a temporary directory: a CA, a good server
// certificate for a name, one for the wrong name, an expired one and a self-signed one. Everything is
// ECDSA P-256 (fast to generate). Call cleanup() when done.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyCert {
  readonly key: string;
  readonly cert: string;
  readonly keyPath: string;
  readonly certPath: string;
}

export interface TlsFixtures {
  readonly dir: string;
  /** The CA certificate (PEM) and its path: trust it to make the good certificate verify. */
  readonly ca: string;
  readonly caPath: string;
  /** Signed by the CA, SAN DNS:<name> and IP:127.0.0.1, valid now. */
  readonly good: KeyCert;
  /** Signed by the CA, valid now, but for `wrong-name.invalid` only. */
  readonly wrongName: KeyCert;
  /** Signed by the CA for <name>, expired on 2020-01-02. */
  readonly expired: KeyCert;
  /** Self-signed for <name> (no CA). */
  readonly selfSigned: KeyCert;
  cleanup(): void;
}

const CA_CONFIG = `[ca]
default_ca = c
[c]
database = db/index.txt
new_certs_dir = db
serial = db/serial
default_md = sha256
policy = p
copy_extensions = copy
unique_subject = no
[p]
commonName = supplied
`;

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed in ${dir}: ${stderr.trim()}`, { cause: err });
  }
}

function read(dir: string, stem: string): KeyCert {
  const keyPath = join(dir, `${stem}.key`);
  const certPath = join(dir, `${stem}.crt`);
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), keyPath, certPath };
}

function signed(dir: string, stem: string, name: string, san: string, dates?: [string, string]): KeyCert {
  openssl(dir, [
    'req',
    ...EC,
    '-keyout',
    `${stem}.key`,
    '-out',
    `${stem}.csr`,
    '-subj',
    `/CN=${name}`,
    '-addext',
    `subjectAltName=${san}`,
  ]);
  const validity = dates ? ['-startdate', dates[0], '-enddate', dates[1]] : ['-days', '30'];
  openssl(dir, [
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'ca.crt',
    '-keyfile',
    'ca.key',
    '-notext',
    '-in',
    `${stem}.csr`,
    '-out',
    `${stem}.crt`,
    ...validity,
  ]);
  return read(dir, stem);
}

/** Generates every fixture for `name` (default `backend.test`). Takes well under a second. */
export function createTlsFixtures(name = 'backend.test'): TlsFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'ldts-tls-'));
  mkdirSync(join(dir, 'db'));
  writeFileSync(join(dir, 'db', 'index.txt'), '');
  writeFileSync(join(dir, 'db', 'serial'), '01\n');
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  openssl(dir, [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '30',
    '-subj',
    '/CN=ldts test CA',
  ]);
  const good = signed(dir, 'good', name, `DNS:${name},IP:127.0.0.1`);
  const wrongName = signed(dir, 'wrong', 'wrong-name.invalid', 'DNS:wrong-name.invalid');
  const expired = signed(dir, 'expired', name, `DNS:${name},IP:127.0.0.1`, ['20200101000000Z', '20200102000000Z']);
  openssl(dir, [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'self.key',
    '-out',
    'self.crt',
    '-days',
    '30',
    '-subj',
    `/CN=${name}`,
    '-addext',
    `subjectAltName=DNS:${name},IP:127.0.0.1`,
  ]);
  const selfSigned = read(dir, 'self');
  const caPath = join(dir, 'ca.crt');
  return {
    dir,
    ca: readFileSync(caPath, 'utf8'),
    caPath,
    good,
    wrongName,
    expired,
    selfSigned,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
