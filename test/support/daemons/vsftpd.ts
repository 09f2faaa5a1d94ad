// vsftpd with anonymous access to a temp directory, one instance per address family (vsftpd listens on
// either IPv4 or IPv6), passive mode on a small loopback port range.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, readyOrCleanedUp, spawnDaemon, tempDir, waitForPorts, type RunningDaemon } from './process';

export interface VsftpdServer {
  readonly port: number;
  readonly port6: number;
  readonly root: string;
  stop(): Promise<void>;
}

function config(dir: string, port: number, pasv: number, v6: boolean): string {
  return [
    'background=NO',
    v6 ? 'listen=NO' : 'listen=YES',
    v6 ? 'listen_ipv6=YES' : 'listen_ipv6=NO',
    v6 ? 'listen_address6=::1' : 'listen_address=127.0.0.1',
    `listen_port=${port}`,
    'anonymous_enable=YES',
    'no_anon_password=YES',
    `anon_root=${join(dir, 'root')}`,
    'local_enable=NO',
    'write_enable=NO',
    'pasv_enable=YES',
    `pasv_min_port=${pasv}`,
    `pasv_max_port=${pasv + 4}`,
    'connect_from_port_20=NO',
    'seccomp_sandbox=NO',
    `secure_chroot_dir=${join(dir, 'empty')}`,
    'xferlog_enable=NO',
    'check_shell=NO',
    'dirmessage_enable=NO',
    'use_localtime=NO',
    'ftpd_banner=ldts test FTP',
    'syslog_enable=NO',
    `vsftpd_log_file=${join(dir, v6 ? 'v6.log' : 'v4.log')}`,
    '',
  ].join('\n');
}

/** Serves `files` (name → content) from the anonymous root. */
export async function startVsftpd(files: Readonly<Record<string, string>>): Promise<VsftpdServer> {
  const dir = tempDir('vsftpd');
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'root'), { mode: 0o755 });
  mkdirSync(join(dir, 'empty'), { mode: 0o755 });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'root', name), content, { mode: 0o644 });
  const port = await freePort();
  const port6 = await freePort();
  const pasv = 20000 + (port % 20000);
  writeFileSync(join(dir, 'v4.conf'), config(dir, port, pasv, false), { mode: 0o600 });
  writeFileSync(join(dir, 'v6.conf'), config(dir, port6, pasv + 5, true), { mode: 0o600 });
  const daemons: RunningDaemon[] = [
    spawnDaemon('vsftpd', 'vsftpd', [join(dir, 'v4.conf')]),
    spawnDaemon('vsftpd6', 'vsftpd', [join(dir, 'v6.conf')]),
  ];
  const stop = await readyOrCleanedUp(daemons, dir, async () => {
    await waitForPorts(daemons[0]!, [{ host: '127.0.0.1', port }]);
    await waitForPorts(daemons[1]!, [{ host: '::1', port: port6 }]);
  });
  return { port, port6, root: join(dir, 'root'), stop };
}
