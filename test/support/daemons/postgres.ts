// PostgreSQL: initdb as the postgres user into a temp dir (superuser `probe`, scram password), then the
// postmaster in the foreground on 127.0.0.1 and ::1 with its socket in the same dir.
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort, listeningOnLoopbacks, run, spawnDaemon, tempDir, type RunningDaemon } from './process';

export interface PostgresServer {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly daemon: RunningDaemon;
  stop(): Promise<void>;
}

function ids(user: string): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', user]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', user]).toString().trim()),
  };
}

export async function startPostgres(): Promise<PostgresServer> {
  const owner = ids('postgres');
  const dir = tempDir('pg');
  chmodSync(dir, 0o755);
  chownSync(dir, owner.uid, owner.gid);
  const user = 'probe';
  const password = 'probe-pw';
  writeFileSync(join(dir, 'pw'), `${password}\n`, { mode: 0o600 });
  chownSync(join(dir, 'pw'), owner.uid, owner.gid);
  mkdirSync(join(dir, 'sock'));
  chownSync(join(dir, 'sock'), owner.uid, owner.gid);
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  await run(
    'initdb',
    [
      '-D',
      join(dir, 'data'),
      '-U',
      user,
      `--pwfile=${join(dir, 'pw')}`,
      '--auth=scram-sha-256',
      '-E',
      'UTF8',
      '--no-sync',
    ],
    { ...owner, env, cwd: dir },
  );
  const port = await freePort();
  const daemon = spawnDaemon(
    'postgres',
    'postgres',
    [
      '-D',
      join(dir, 'data'),
      '-p',
      String(port),
      '-k',
      join(dir, 'sock'),
      '-c',
      'listen_addresses=127.0.0.1,::1',
      '-c',
      'fsync=off',
      '-c',
      'logging_collector=off',
    ],
    { ...owner, env, cwd: dir, stopSignal: 'SIGINT' },
  ); // SIGTERM (smart) would wait for sessions
  const stop = await listeningOnLoopbacks(daemon, dir, [port]);
  return { port, user, password, daemon, stop };
}
