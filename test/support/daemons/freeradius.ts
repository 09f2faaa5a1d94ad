// freeradius with a minimal config directory of its own: one client (127.0.0.1 and ::1) with a secret,
// one user in a users file, PAP, auth listeners on loopback. Foreground with debug output (-X).
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, readyOrCleanedUp, spawnDaemon, tempDir, waitForOutput, type RunningDaemon } from './process';

export interface RadiusServer {
  readonly port: number;
  readonly daemon: RunningDaemon;
  stop(): Promise<void>;
}

export interface RadiusOptions {
  readonly secret: string;
  readonly user: string;
  readonly password: string;
}

function radiusString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export async function startFreeradius(opts: RadiusOptions): Promise<RadiusServer> {
  const dir = tempDir('radius');
  chmodSync(dir, 0o755);
  const port = await freePort();
  const conf = `
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = ${dir}
sbindir = /usr/sbin
logdir = ${dir}
raddbdir = ${dir}
radacctdir = ${dir}
name = freeradius
confdir = ${dir}
run_dir = ${dir}
db_dir = ${dir}
libdir = /usr/lib/freeradius
dictdir = /usr/share/freeradius
pidfile = ${dir}/radiusd.pid
max_request_time = 5
cleanup_delay = 1
max_requests = 1024
hostname_lookups = no
log {
  destination = stderr
  auth = yes
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = no
}
client v4 {
  ipaddr = 127.0.0.1
  secret = ${radiusString(opts.secret)}
}
client v6 {
  ipv6addr = ::1
  secret = ${radiusString(opts.secret)}
}
modules {
  files {
    filename = ${dir}/users
  }
  pap {
  }
}
server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = ${port}
  }
  listen {
    type = auth
    ipv6addr = ::1
    port = ${port}
  }
  authorize {
    files
    pap
  }
  authenticate {
    Auth-Type PAP {
      pap
    }
  }
}
`;
  writeFileSync(join(dir, 'radiusd.conf'), conf, { mode: 0o644 });
  writeFileSync(join(dir, 'users'), `${opts.user} Cleartext-Password := ${radiusString(opts.password)}\n`, {
    mode: 0o644,
  });
  const daemon = spawnDaemon('freeradius', 'freeradius', ['-X', '-f', '-d', dir]);
  const stop = await readyOrCleanedUp([daemon], dir, async () => {
    await waitForOutput(daemon, /Ready to process requests/);
  });
  return { port, daemon, stop };
}
