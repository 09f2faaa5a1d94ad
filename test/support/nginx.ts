// A real nginx (nginx-light) for tests, on loopback, from a config written into a temp prefix: one process
// (master_process off, daemon off) that the test owns and stops, on a port from ports.ts's freePort().
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Nginx {
  readonly prefix: string;
  stop(): Promise<void>;
}

function connectOnce(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Starts nginx with `httpBlock` as the contents of its `http { }` block (use `${prefix}` paths from the
 * returned prefix via the callback) and waits until every `readyPorts` port accepts connections (or the
 * process exits, which throws with nginx's error log).
 */
export async function startNginx(httpBlock: (prefix: string) => string, readyPorts: readonly number[]): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'ldts-nginx-'));
  mkdirSync(join(prefix, 'tmp'));
  mkdirSync(join(prefix, 'logs'));
  const conf = `daemon off;
master_process off;
user root;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/plain;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
${httpBlock(prefix)}
}
`;
  writeFileSync(join(prefix, 'nginx.conf'), conf);
  const child: ChildProcess = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let exited = false;
  const exit = once(child, 'exit').then(() => {
    exited = true;
  });
  const errorLog = (): string => {
    try {
      return readFileSync(join(prefix, 'logs', 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      await exit;
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  for (const port of readyPorts) {
    // Bounded readiness poll: each attempt is a real connect; a refused one yields to the event loop.
    for (let attempt = 0; ; attempt += 1) {
      if (exited || attempt > 2000) {
        const log = `${stderr}${errorLog()}`.trim();
        await stop();
        throw new Error(`nginx did not start listening on 127.0.0.1:${port}: ${log}`);
      }
      if (await connectOnce('127.0.0.1', port)) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return { prefix, stop };
}
