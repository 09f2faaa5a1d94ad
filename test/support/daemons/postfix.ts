// A private Postfix instance: its own config_directory (main.cf + master.cf) and queue_directory in a temp
// dir, no logging (with maillog_file, smtpd blocks on a full postlogd socket under master -d), smtpd on loopback ports (smtp and submission, 127.0.0.1 and ::1), no local delivery. The queue is
// laid out here as post-install would (running `postfix check` takes ~20 s under load); master runs in the foreground (-d) so the test owns its process.
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort, listeningOnLoopbacks, spawnDaemon, tempDir, type RunningDaemon } from './process';

export interface PostfixServer {
  readonly smtp: number;
  readonly submission: number;
  readonly daemon: RunningDaemon;
  stop(): Promise<void>;
}

function ids(name: string, flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, name]).toString().trim());
}

/** The queue layout of postfix-files: owner postfix except pid; public/maildrop group postdrop. */
function makeQueue(queue: string): void {
  const postfix = ids('postfix', '-u');
  const postdrop = Number(execFileSync('getent', ['group', 'postdrop']).toString().split(':')[2]);
  mkdirSync(join(queue, 'pid'), { mode: 0o755 });
  for (const d of [
    'incoming',
    'active',
    'deferred',
    'bounce',
    'defer',
    'trace',
    'flush',
    'hold',
    'corrupt',
    'saved',
    'private',
  ]) {
    mkdirSync(join(queue, d), { mode: 0o700 });
    chownSync(join(queue, d), postfix, 0);
  }
  for (const [d, mode] of [
    ['public', 0o710],
    ['maildrop', 0o730],
  ] as const) {
    mkdirSync(join(queue, d), { mode });
    chmodSync(join(queue, d), mode);
    chownSync(join(queue, d), postfix, postdrop);
  }
}

export interface PostfixOptions {
  /** Offer STARTTLS with this certificate (smtpd_tls_security_level = may). */
  readonly tls?: { readonly certPath: string; readonly keyPath: string };
  /** Offer AUTH (after STARTTLS only) through dovecot's auth socket at this absolute path. */
  readonly dovecotAuth?: string;
}

export async function startPostfix(o: PostfixOptions = {}): Promise<PostfixServer> {
  const dir = tempDir('postfix');
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'queue'), { mode: 0o755 });
  mkdirSync(join(dir, 'data'), { mode: 0o755 });
  chownSync(join(dir, 'data'), ids('postfix', '-u'), 0);
  const [smtp, submission] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'main.cf'),
    `compatibility_level = 3.6
queue_directory = ${dir}/queue
data_directory = ${dir}/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.test
mydomain = test
inet_protocols = all
inet_interfaces = 127.0.0.1, [::1]
mydestination =
local_recipient_maps =
local_transport = error:no local delivery
smtpd_banner = $myhostname ESMTP ldts-test
${
  o.tls === undefined
    ? ''
    : `smtpd_tls_security_level = may\nsmtpd_tls_chain_files = ${o.tls.keyPath}, ${o.tls.certPath}\n`
}${
      o.dovecotAuth === undefined
        ? ''
        : `smtpd_sasl_auth_enable = yes\nsmtpd_sasl_type = dovecot\nsmtpd_sasl_path = ${o.dovecotAuth}\nsmtpd_tls_auth_only = yes\n`
    }`,
  );
  const smtpd = (port: number): string =>
    `127.0.0.1:${port} inet n - n - - smtpd\n[::1]:${port} inet n - n - - smtpd\n`;
  writeFileSync(
    join(dir, 'master.cf'),
    `${smtpd(smtp)}${smtpd(submission)}cleanup unix n - n - 0 cleanup
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
proxymap unix - - n - - proxymap
${o.tls === undefined ? '' : 'tlsmgr unix - - n 1000? 1 tlsmgr\n'}`,
  );
  makeQueue(join(dir, 'queue'));
  const daemon = spawnDaemon('postfix', '/usr/lib/postfix/sbin/master', ['-c', dir, '-d'], { group: true });
  const stop = await listeningOnLoopbacks(daemon, dir, [smtp, submission]);
  return { smtp, submission, daemon, stop };
}
