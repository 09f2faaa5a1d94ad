// Daemonizing without fork(): the CLI re-spawns this program detached (a new session via setsid, cwd /, no
// stdio but an IPC channel) and waits until the child reports that the virtual services are programmed, or why
// it could not start. Only then does `ldirectord start` exit (0, or the child's failure status).

import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { parseReadinessMessage } from './readiness';
import type { Command } from './self-command';

export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export type DaemonOutcome =
  | { readonly ok: true; readonly pid: number }
  | { readonly ok: false; readonly exitCode: number; readonly message: string };

export interface DaemonizeOptions {
  readonly command: Command;
  /** Arguments after the command's own (the daemon child's options). */
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** How long to wait for readiness before giving up (the child is then sent TERM). */
  readonly readyTimeoutMs: number;
}

export function daemonize(spawn: SpawnFn, o: DaemonizeOptions): Promise<DaemonOutcome> {
  return new Promise<DaemonOutcome>((resolve) => {
    let settled = false;
    const child = spawn(o.command.command, [...o.command.args, ...o.args], {
      detached: true,
      cwd: '/',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: o.env ?? process.env,
    });
    const finish = (outcome: DaemonOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.removeAllListeners('message');
      if (child.connected) child.disconnect();
      child.unref();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      finish({
        ok: false,
        exitCode: 1,
        message: `the daemon did not report readiness within ${o.readyTimeoutMs / 1000} s; sent it TERM`,
      });
    }, o.readyTimeoutMs);
    child.on('message', (raw: unknown) => {
      const m = parseReadinessMessage(raw);
      if (m === undefined) return;
      if (m.type === 'ready') finish({ ok: true, pid: m.pid });
      else finish({ ok: false, exitCode: m.exitCode, message: m.message });
    });
    child.on('error', (e) => finish({ ok: false, exitCode: 1, message: `cannot start the daemon: ${e.message}` }));
    // 'close' (not 'exit'): it comes after the IPC channel has delivered everything the child sent.
    child.on('close', (code, signal) =>
      finish({
        ok: false,
        exitCode: 1,
        message: `the daemon exited (${code === null ? `signal ${signal}` : `status ${code}`}) before it was ready`,
      }),
    );
  });
}
