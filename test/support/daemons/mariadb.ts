// MariaDB: mariadb-install-db into a temp dir, mariadbd in the foreground as root (--user=root) on
// 127.0.0.1 and ::1 with its own socket, then a user `probe` with a password created over that socket.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, readyOrCleanedUp, run, spawnDaemon, tempDir, waitForPorts, type RunningDaemon } from './process';

export interface MariadbServer {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly daemon: RunningDaemon;
  stop(): Promise<void>;
}

export async function startMariadb(): Promise<MariadbServer> {
  const dir = tempDir('mariadb');
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  await run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${data}`,
    '--user=root',
    '--auth-root-authentication-method=socket',
    '--skip-test-db',
  ]);
  const port = await freePort();
  const daemon = spawnDaemon('mariadbd', 'mariadbd', [
    '--no-defaults',
    `--datadir=${data}`,
    `--socket=${socket}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1,::1',
    '--user=root',
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    '--skip-log-bin',
    '--innodb-buffer-pool-size=16M',
    '--skip-name-resolve',
    `--log-error=${join(dir, 'error.log')}`,
  ]);
  const user = 'probe';
  const password = 'probe-pw';
  const database = 'health';
  const stop = await readyOrCleanedUp([daemon], dir, async () => {
    await waitForPorts(daemon, [
      { host: '127.0.0.1', port },
      { host: '::1', port },
    ]);
    await run('mariadb', [
      '--no-defaults',
      '-S',
      socket,
      '-u',
      'root',
      '-e',
      `CREATE DATABASE ${database}; CREATE TABLE ${database}.status (ok INT); INSERT INTO ${database}.status VALUES (1);` +
        `CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'; GRANT SELECT ON ${database}.* TO '${user}'@'%';`,
    ]);
  });
  return { port, user, password, database, daemon, stop };
}
