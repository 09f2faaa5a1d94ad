// dovecot with its own config directory: one passwd-file user, IMAP/POP3 and IMAPS/POP3S on loopback ports
// (127.0.0.1 and ::1), TLS with a given certificate, foreground (-F).
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, listeningOnLoopbacks, spawnDaemon, tempDir, type RunningDaemon } from './process';

export interface DovecotServer {
  readonly imap: number;
  readonly imaps: number;
  readonly pop3: number;
  readonly pop3s: number;
  readonly daemon: RunningDaemon;
  stop(): Promise<void>;
}

export interface DovecotOptions {
  readonly user: string;
  readonly password: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** Also serve the auth socket (Postfix's SASL) at this absolute path. */
  readonly authSocket?: string;
}

const MAIL_UID = 65534; // nobody: dovecot refuses mail access as root

/** A login service listening on a plain port and on a TLS one (the protocol name with an s). */
const loginService = (protocol: 'imap' | 'pop3', plain: number, tls: number): string => `service ${protocol}-login {
  inet_listener ${protocol} {
    port = ${plain}
  }
  inet_listener ${protocol}s {
    port = ${tls}
    ssl = yes
  }
}`;

export async function startDovecot(opts: DovecotOptions): Promise<DovecotServer> {
  const dir = tempDir('dovecot');
  chmodSync(dir, 0o755);
  const home = join(dir, 'home');
  mkdirSync(home, { mode: 0o755 });
  chownSync(home, MAIL_UID, MAIL_UID);
  const [imap, imaps, pop3, pop3s] = [await freePort(), await freePort(), await freePort(), await freePort()];
  writeFileSync(join(dir, 'users'), `${opts.user}:{PLAIN}${opts.password}::::::\n`, { mode: 0o644 });
  const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = /dev/stderr
protocols = imap pop3
listen = 127.0.0.1, ::1
ssl = yes
ssl_cert = <${opts.certPath}
ssl_key = <${opts.keyPath}
disable_plaintext_auth = no
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8 ::1/128
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:~/Maildir
first_valid_uid = ${MAIL_UID}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${MAIL_UID} gid=${MAIL_UID} home=${home}/%u
}
${loginService('imap', imap, imaps)}
${loginService('pop3', pop3, pop3s)}
${
  opts.authSocket === undefined ? '' : `service auth {\n  unix_listener ${opts.authSocket} {\n    mode = 0666\n  }\n}\n`
}service stats {
  unix_listener stats-reader {
    user = ${userInfo().username}
  }
}
`;
  writeFileSync(join(dir, 'dovecot.conf'), conf, { mode: 0o644 });
  const daemon = spawnDaemon('dovecot', 'dovecot', ['-F', '-c', join(dir, 'dovecot.conf')]);
  const stop = await listeningOnLoopbacks(daemon, dir, [imap, imaps, pop3, pop3s]);
  return { imap, imaps, pop3, pop3s, daemon, stop };
}
